#!/usr/bin/env bash
# The window's start-up and memory, with 10 and 1000 accounts (all with keys in a real Secret
# Service): hyperfine times process start to the first code painted (the app quits right after
# painting it when TESSERA_BENCH_FIRST_CODE is set), and the resident memory of the app with its
# WebKit processes is summed once the codes are on screen.
# Needs a display and a private keyring: run through `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${TESSERA_PRIVATE_BUS:-}" ] && [ -n "${DISPLAY:-}" ] || { echo "run through make bench" >&2; exit 1; }
cargo build --release -q -p tessera-desktop -p tessera-cli
app=$PWD/target/release/tessera-desktop
cli=$PWD/target/release/tessera
out=$PWD/target/bench-app-startup
mkdir -p "$out"

# Memory (kB) of a process and all its descendants: `tree_mem Rss PID` sums resident memory
# (shared libraries counted in every process), `tree_mem Pss PID` the proportional share.
tree_mem() {
  local field=$1 pid=$2 total
  total=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null)
  total=${total:-0}
  for kid in $(pgrep -P "$pid"); do total=$((total + $(tree_mem "$field" "$kid"))); done
  echo "$total"
}

# CPU time (clock ticks, user + system) of a process and all its descendants.
tree_ticks() {
  local pid=$1 total
  total=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  for kid in $(pgrep -P "$pid"); do total=$((total + $(tree_ticks "$kid"))); done
  echo "$total"
}

for n in 10 1000; do
  export XDG_DATA_HOME XDG_CONFIG_HOME
  XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
  echo "adding $n accounts (one keychain item each)..." >&2
  # One key for all: each account is still its own keychain item, read on its own.
  for i in $(seq 1 "$n"); do
    "$cli" add --secret JBSWY3DPEHPK3PXP --issuer "Bench Corp" --label "user$i@example.com" >/dev/null
  done
  TESSERA_BENCH_FIRST_CODE=1 "$app" | grep -q "first code painted" || { echo "the app did not report its first code" >&2; exit 1; }
  TESSERA_BENCH_FIRST_CODE=1 hyperfine -N --warmup 2 --runs "${RUNS:-15}" --export-json "$out/start-$n.json" \
    -n "start to first code ($n accounts)" "$app" >"$out/start-$n.log" 2>&1
  # The app's own measure (from its first line of Rust to the first code painted), a few times.
  for _ in 1 2 3 4 5; do TESSERA_BENCH_FIRST_CODE=1 "$app"; done | sed "s/^/  in-app ($n accounts): /" >"$out/in-app-$n.txt"
  # Memory: the app with its codes on screen for a few seconds.
  "$app" >/dev/null 2>&1 &
  pid=$!
  sleep 6
  echo "$(tree_mem Rss "$pid") $(tree_mem Pss "$pid")" >"$out/mem-$n.txt"
  # Idle: the window open, nothing touched, countdowns running, for 20 s.
  before=$(tree_ticks "$pid"); sleep 20; after=$(tree_ticks "$pid")
  python3 -c "print(f'{($after - $before) / 20 / $(getconf CLK_TCK) * 100:.1f}')" >"$out/idle-cpu-$n.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
done

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for n in (10, 1000):
    r = json.load(open(f"{out}/start-{n}.json"))["results"][0]
    rss, pss = (int(x) / 1024 for x in open(f"{out}/mem-{n}.txt").read().split())
    print(f"{n:>5} accounts: process start to first code painted, median {r['median']*1e3:.0f} ms "
          f"(min {r['min']*1e3:.0f}, max {r['max']*1e3:.0f}); memory with WebKit's processes {rss:.0f} MB resident (summed), {pss:.0f} MB proportional; "
          f"idle CPU {open(f'{out}/idle-cpu-{n}.txt').read().strip()}% of one core")
    print(open(f"{out}/in-app-{n}.txt").read().rstrip())
PY
