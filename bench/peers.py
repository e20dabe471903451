#!/usr/bin/python3
"""Start-up and memory of Tessera beside its peers, in one run (bench/peers.sh sets it up).

Each app is started RUNS times, the apps taking turns (floor, Tessera 10, Tessera 1000,
OTPClient 10, OTPClient 1000, floor, ...) so that the machine's noise falls on all of them
alike. Every app runs in a home of its own: XDG directories, and a D-Bus session with an
unlocked gnome-keyring of its own, so that one app's keychain items never slow another's
search. Each run is timed from just before the process is started (fork and exec included):

- mapped: the X server maps the app's window (a MapNotify on the root window for a window whose
  _NET_WM_PID is the app's);
- painted: the window's pixels first show more than one colour (the X Damage extension reports
  each drawing; the window's image is then read and compared). The same rule for every app;
- signal: the app's own word that its content is on screen. Tessera prints "first code
  painted" two animation frames after its first code is in the page, the floor "first paint"
  after its line of text the same way (TESSERA_BENCH_FIRST_CODE). OTPClient says nothing: its
  list of accounts is in its first painted frame, and it shows a code only when a row is
  clicked, so its signal is its first paint.

Reading a window's pixels loads the X server and this process while the app starts (a whole
window's image at each drawing reported). With PIXELS=0 only an app without a signal of its own
is looked at, so that the others start on a machine that does nothing else: their first paint is
then not measured.

5 s after the signal, the resident (RSS) and proportional (PSS) memory of the app and all its
descendants (WebKit's processes) is summed from /proc/PID/smaps_rollup. On the last run the CPU
time they use is read too: until SETTLED seconds after the signal (the start's last work, and a
text field's caret, which blinks for 10 s after the last input as GTK's does), and then, idle,
over IDLE_SECONDS (30 unless the environment says: at 0.3% of a core, 30 s are 9 ticks of
10 ms, so one tick more or less moves the figure by 0.03%). Prints a table of medians and the
ratios to the floor, and writes every run to OUT/peers.json.

An app with "tray" starts hidden in the tray instead (Tessera's --minimised: on X11 it becomes
`tessera tray` at once, unless its settings keep the window). Its memory and idle CPU are read
IDLE_AFTER seconds later, summed over what runs then; then, for an app with "cold", its shortcut
(Ctrl+Alt+A, pressed with xdotool) brings the window back, timed from the key press to the app's
"first code painted", and set beside the cold first code of the app named by "cold".

Usage: peers.py OUT RUNS CONFIG.json  (CONFIG: [{name, cmd, env, signal, tray}], see peers.sh)
"""

import json
import os
import select
import signal
import statistics
import subprocess
import sys
import time

from Xlib import X, display
from Xlib.ext import damage

IDLE_AFTER = 5.0
SETTLED = 15.0
IDLE_SECONDS = float(os.environ.get("IDLE_SECONDS", "30"))
TIMEOUT = 60.0


def tree(pid):
    """The process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def memory_kb(pid):
    """(RSS, PSS, processes) summed over the tree, in kB."""
    rss = pss = n = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = dict(line.split()[:2] for line in f if line.split()[0].endswith(":"))
        except OSError:
            continue
        rss += int(fields.get("Rss:", 0))
        pss += int(fields.get("Pss:", 0))
        n += 1
    return rss, pss, n


def cpu_ticks(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def window_pid(d, window):
    try:
        prop = window.get_full_property(d.intern_atom("_NET_WM_PID"), X.AnyPropertyType)
    except Exception:  # the window is gone
        return None
    return prop.value[0] if prop and len(prop.value) else None


def shows_content(window):
    """Whether the window's pixels hold more than one colour."""
    try:
        geometry = window.get_geometry()
        image = window.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0x00FFFFFF)
    except Exception:  # not viewable yet, or gone
        return False
    data = image.data
    return data.count(data[:4]) * 4 != len(data)


def stop(proc):
    """Ends the app and its process group."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    # WebKit's helpers leave with their parent; give them the moment they need.
    time.sleep(0.3)


def run_once(d, root, app, last):
    """One start of one app: its times (ms from the start) and its memory."""
    env = dict(os.environ, **app["env"], TESSERA_BENCH_FIRST_CODE="1")
    watched = {}  # window id -> (window, damage id)
    result = {"name": app["name"]}
    start = time.perf_counter()
    proc = subprocess.Popen(app["cmd"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    ms = lambda: round((time.perf_counter() - start) * 1000, 1)  # noqa: E731
    windows = []  # the app's mapped windows
    out = b""
    look = not app["signal"] or os.environ.get("PIXELS", "1") != "0"
    if not look:
        result["painted"] = None
    try:
        deadline = start + TIMEOUT
        while "painted" not in result or (app["signal"] and "signal" not in result):
            left = deadline - time.perf_counter()
            if "signal" in result and "painted" not in result and ms() > result["signal"] + 5000:
                # Its pixels were never seen to change (this happened once, to the floor): the
                # run counts without a first paint.
                result["painted"] = None
                break
            if left <= 0 or proc.poll() is not None:
                raise RuntimeError(f"{app['name']}: no window painted within {TIMEOUT:.0f} s "
                                   f"(exit status {proc.poll()}, so far {result})")
            ready, _, _ = select.select([d, proc.stdout], [], [], min(left, 0.05))
            if proc.stdout in ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                out += chunk
                if b"\n" in out and "signal" not in result:
                    result["signal"] = ms()
                    result["in_app"] = out.decode(errors="replace").strip()
            while d.pending_events():
                event = d.next_event()
                if event.type == X.CreateNotify and not event.override and look:
                    w = event.window
                    try:
                        watched[w.id] = (w, w.damage_create(damage.DamageReportNonEmpty))
                    except Exception:
                        pass
                elif event.type == X.MapNotify and (event.window.id in watched or not look):
                    w = event.window
                    try:
                        wide = w.get_geometry().width >= 200
                    except Exception:  # gone already
                        wide = False
                    if wide and window_pid(d, w) == proc.pid:
                        windows.append(w)
                        result.setdefault("mapped", ms())
                elif event.type == d.extension_event.DamageNotify and "painted" not in result:
                    for w in windows:
                        if event.drawable.id == w.id:
                            d.damage_subtract(watched[w.id][1], 0, 0)
                            if shows_content(w):
                                result["painted"] = ms()
            # A drawing before the Damage object existed reports nothing: look now and then.
            if "painted" not in result and any(shows_content(w) for w in windows):
                result["painted"] = ms()
        if not app["signal"]:
            result["signal"] = result["painted"]
        time.sleep(max(0.0, result["signal"] / 1000 + IDLE_AFTER - (time.perf_counter() - start)))
        result["rss_kb"], result["pss_kb"], result["processes"] = memory_kb(proc.pid)
        if last:
            before = cpu_ticks(proc.pid)
            time.sleep(SETTLED - IDLE_AFTER)
            result["settling_cpu_percent"] = percent(cpu_ticks(proc.pid) - before,
                                                     SETTLED - IDLE_AFTER)
            result["idle_cpu_percent"] = idle_cpu(proc.pid)
    finally:
        for _, damage_id in watched.values():
            try:
                d.damage_destroy(damage_id)
            except Exception:
                pass
        d.flush()
        stop(proc)
    result["took"] = time.perf_counter() - start
    return result


def wait_line(proc, seconds):
    """The time (perf_counter) the app's next line of output came, or None."""
    deadline = time.perf_counter() + seconds
    out = b""
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.05)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                return None
            out += chunk
            if b"\n" in out:
                return time.perf_counter()
    return None


def percent(ticks, seconds):
    """CPU ticks over `seconds` as a percentage of one core."""
    return round(ticks / os.sysconf("SC_CLK_TCK") / seconds * 100, 2)


def idle_cpu(pid):
    before = cpu_ticks(pid)
    time.sleep(IDLE_SECONDS)
    return percent(cpu_ticks(pid) - before, IDLE_SECONDS)


def run_tray(app, last):
    """One start of an app in the tray: its memory and idle CPU there, and the time its shortcut
    takes to bring the window back to its first code."""
    env = dict(os.environ, **app["env"], TESSERA_BENCH_FIRST_CODE="1")
    result = {"name": app["name"]}
    start = time.perf_counter()
    proc = subprocess.Popen(app["cmd"] + ["--minimised"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(IDLE_AFTER)
        result["rss_kb"], result["pss_kb"], result["processes"] = memory_kb(proc.pid)
        if last:
            result["idle_cpu_percent"] = idle_cpu(proc.pid)
        if app.get("cold"):
            back = time.perf_counter()
            subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+alt+a"], check=True,
                           timeout=TIMEOUT)
            shown = wait_line(proc, TIMEOUT)
            if shown is None:
                raise RuntimeError(f"{app['name']}: the window did not come back")
            result["back_ms"] = round((shown - back) * 1000, 1)
    finally:
        stop(proc)
    result["took"] = time.perf_counter() - start
    return result


def median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def main():
    out, runs_wanted, config = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    apps = json.load(open(config))
    d = display.Display()
    # Windows come and go while they are watched (a Damage object for a window just destroyed,
    # or one that cannot have it): such errors change nothing here.
    d.set_error_handler(lambda *_: None)
    if not d.has_extension("DAMAGE"):
        sys.exit("the X server has no DAMAGE extension")
    d.damage_query_version()
    root = d.screen().root
    root.change_attributes(event_mask=X.SubstructureNotifyMask)
    d.sync()
    runs = {app["name"]: [] for app in apps}
    for i in range(runs_wanted):
        for app in apps:
            last = i == runs_wanted - 1
            if app.get("tray"):
                r = run_tray(app, last)
                print(f"  run {i + 1:>2} {app['name']:<22} PSS {r['pss_kb'] // 1024} MB, "
                      f"back in {r.get('back_ms')} ms ({r['took']:.1f} s)", file=sys.stderr)
            else:
                r = run_once(d, root, app, last)
                print(f"  run {i + 1:>2} {app['name']:<22} mapped {r.get('mapped')} ms, painted "
                      f"{r['painted']} ms, signal {r['signal']} ms, PSS {r['pss_kb'] // 1024} MB "
                      f"({r['took']:.1f} s)", file=sys.stderr)
            runs[app["name"]].append(r)
    json.dump(runs, open(os.path.join(out, "peers.json"), "w"), indent=1)
    window_apps = [app for app in apps if not app.get("tray")]
    tray_apps = [app for app in apps if app.get("tray")]

    floor = apps[0]["name"]
    base = {k: median(runs[floor], k) for k in ("signal", "pss_kb")}
    print(f"\nmedians of {runs_wanted} runs each, taking turns; ms from process start; memory 5 s "
          f"after the signal, summed over the app's processes; CPU on the last run, from 5 to "
          f"{SETTLED:.0f} s after the signal, then idle over {IDLE_SECONDS:.0f} s")
    print(f"| app | window mapped | first paint | content on screen | / floor | RSS MB | PSS MB "
          f"| / floor | processes | CPU settling % | idle CPU % |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for app in window_apps:
        r = runs[app["name"]]
        signal_ms, pss = median(r, "signal"), median(r, "pss_kb")
        painted = median(r, "painted")
        print(f"| {app['name']} | {median(r, 'mapped'):.0f} | {f'{painted:.0f}' if painted else '-'} | "
              f"{signal_ms:.0f} | {signal_ms / base['signal']:.2f} | "
              f"{median(r, 'rss_kb') / 1024:.0f} | {pss / 1024:.0f} | {pss / base['pss_kb']:.2f} | "
              f"{median(r, 'processes'):.0f} | {r[-1].get('settling_cpu_percent', '')} | "
              f"{r[-1].get('idle_cpu_percent', '')} |")

    if not tray_apps:
        return
    print("\nin the tray (started with --minimised); back: from the shortcut pressed to the first "
          "code painted")
    print("| app | PSS MB | processes | idle CPU % | back ms | / its cold first code |")
    print("|---|---|---|---|---|---|")
    for app in tray_apps:
        r = runs[app["name"]]
        back = median(r, "back_ms")
        ratio = back / median(runs[app["cold"]], "signal") if back else None
        print(f"| {app['name']} | {median(r, 'pss_kb') / 1024:.1f} | "
              f"{median(r, 'processes'):.0f} | {r[-1].get('idle_cpu_percent', '')} | "
              f"{f'{back:.0f}' if back else '-'} | {f'{ratio:.2f}' if ratio else '-'} |")


if __name__ == "__main__":
    main()
