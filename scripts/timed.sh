#!/usr/bin/env bash
# Times the steps of `make test` and prints them as a table at the end, so that the slow
# step is visible on every run.
#
#   scripts/timed.sh begin               start a new table (target/step-times.tsv)
#   scripts/timed.sh NAME CMD [ARG...]   run CMD as step NAME; on failure, print the table so far
#   scripts/timed.sh report              print the table
#
# Jobs run behind the steps (scripts/background.sh) are listed under the table with their own
# time, which the total does not count: it is the wall-clock time of the steps.
set -uo pipefail
cd "$(dirname "$0")/.."
log=target/step-times.tsv

report() {
  [ -f "$log" ] || return 0
  awk -F'\t' '
    NR == 1 { start = $2; next }
    { printf "  %-26s %8s  %s\n", $1, sprintf("%d:%02d", $2 / 60, $2 % 60), $3; total += $2 }
    END { printf "  %-26s %8s\n", "total", sprintf("%d:%02d", total / 60, total % 60) }
  ' "$log" >&2
  for file in target/background/*.status; do
    [ -f "$file" ] || continue
    read -r code seconds <"$file"
    printf '  %-26s %8s  %s\n' "$(basename "$file" .status) (behind the steps)" \
      "$(printf '%d:%02d' $((seconds / 60)) $((seconds % 60)))" "$([ "$code" = 0 ] && echo ok || echo "FAILED ($code)")" >&2
  done
}

case "${1:-}" in
  begin) mkdir -p target; rm -f target/background/*.status; printf 'begin\t%s\n' "$(date +%s)" >"$log"; exit 0 ;;
  report) printf '\nstep times (m:ss)\n' >&2; report; exit 0 ;;
  "" ) echo "usage: $0 begin | report | NAME CMD..." >&2; exit 2 ;;
esac

name=$1; shift
# A step that fails or is interrupted stops the jobs running behind it.
trap 'scripts/background.sh stop' INT TERM
started=$(date +%s)
"$@"
status=$?
mkdir -p target
printf '%s\t%d\t%s\n' "$name" "$(($(date +%s) - started))" "$([ $status = 0 ] && echo ok || echo "FAILED ($status)")" >>"$log"
if [ $status != 0 ]; then
  scripts/background.sh stop
  printf '\nstep times (m:ss), stopped at %s\n' "$name" >&2
  report
fi
exit $status
