#!/usr/bin/env bash
# Runs a long build behind the other steps of `make test`, at the lowest CPU priority, so that
# it mostly takes the CPU they leave idle (the window tests wait on the screen much of the time).
#
#   scripts/background.sh start NAME CMD [ARG...]   start CMD (nice 19), output to target/background/NAME.log
#   scripts/background.sh wait NAME                 wait for it; exits with its status, its log's end on failure
#   scripts/background.sh stop                      stop every job still running (a step failed)
set -uo pipefail
cd "$(dirname "$0")/.."
dir=target/background
mkdir -p "$dir"

case "${1:-}" in
  start)
    name=$2; shift 2
    rm -f "$dir/$name.status"
    # setsid: the job is a process group of its own, which `stop` ends with everything it started.
    # A new session is also a scheduling group of its own where the kernel groups by session
    # (autogroup), and nice then ranks processes only inside their group: the group itself is
    # niced too, or the job takes half the CPU from the steps.
    setsid bash -c '
      if [ -w /proc/self/autogroup ]; then echo 19 >/proc/self/autogroup; fi
      started=$(date +%s)
      nice -n 19 "${@:3}" >"$1.log" 2>&1
      status=$?
      printf "%s %s\n" "$status" "$(($(date +%s) - started))" >"$1.status.new"
      mv "$1.status.new" "$1.status"
    ' background "$dir/$name" "$name" "$@" </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/$name.pid"
    echo "background: $name started (log: $dir/$name.log)" >&2
    ;;
  wait)
    name=$2
    [ -f "$dir/$name.pid" ] || { echo "background: $name was never started" >&2; exit 2; }
    pid=$(cat "$dir/$name.pid")
    while [ ! -f "$dir/$name.status" ]; do
      if ! kill -0 "$pid" 2>/dev/null && [ ! -f "$dir/$name.status" ]; then
        echo "background: $name ended without a status (killed?)" >&2
        exit 1
      fi
      sleep 1
    done
    read -r status seconds <"$dir/$name.status"
    rm -f "$dir/$name.pid"
    printf 'background: %s ran %d:%02d behind the other steps, exit status %s\n' \
      "$name" $((seconds / 60)) $((seconds % 60)) "$status" >&2
    if [ "$status" != 0 ]; then
      tail -n 60 "$dir/$name.log" >&2
    fi
    exit "$status"
    ;;
  stop)
    for pidfile in "$dir"/*.pid; do
      [ -f "$pidfile" ] || continue
      kill -- -"$(cat "$pidfile")" 2>/dev/null && echo "background: stopped $(basename "$pidfile" .pid)" >&2
      rm -f "$pidfile"
    done
    ;;
  *)
    echo "usage: $0 start NAME CMD... | wait NAME | stop" >&2
    exit 2
    ;;
esac
