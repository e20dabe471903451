#!/usr/bin/env bash
# What sync costs, as whole processes:
# 1. what it adds to a command when nothing has changed: `tessera list` at 1000 accounts with
#    sync off and on, side by side in one hyperfine run (medians);
# 2. from `tessera add` on one computer to the account listed on another, through two real
#    Syncthing instances on 127.0.0.1 (tests/syncthing/pair.sh): the median of 10.
# The two computers share this run's private Secret Service (an account has one id and one key
# on both): run through `make bench` (scripts/with-keyring.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${TESSERA_PRIVATE_BUS:-}" ] || { echo "run through make bench (scripts/with-keyring.sh)" >&2; exit 1; }
cargo build --release -q -p tessera-cli
tessera=$PWD/target/release/tessera
work=$(mktemp -d)
trap 'tests/syncthing/pair.sh stop "$work/st"; rm -rf "$work"' EXIT
on() { XDG_DATA_HOME=$work/$1 XDG_CONFIG_HOME=$work/$1/config "$tessera" "${@:2}"; }

python3 - "$work/accounts.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        f.write(f"otpauth://totp/Bench%20Corp:user{i}@example.com?secret=JBSWY3DPEHPK3PX{'ABCDEFGH'[i % 8]}&issuer=Bench%20Corp\n")
PY
for home in off a; do on "$home" import "$work/accounts.txt" >/dev/null; done
mkdir -p "$work/folder-a" "$work/folder-b"
tests/syncthing/pair.sh start "$work/st" "$work/folder-a" "$work/folder-b"
on a sync setup --folder "$work/folder-a" >"$work/secret" 2>/dev/null
out=$PWD/target/bench-sync
mkdir -p "$out"
hyperfine -N --warmup 10 --runs "${RUNS:-100}" --export-json "$out/list.json" \
  -n "list (1000), sync off" "env XDG_DATA_HOME=$work/off XDG_CONFIG_HOME=$work/off/config $tessera list" \
  -n "list (1000), sync on, nothing new" "env XDG_DATA_HOME=$work/a XDG_CONFIG_HOME=$work/a/config $tessera list" \
  >"$out/list.log" 2>&1
python3 - "$out/list.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:>34}: median {r['median']*1e3:6.2f} ms  (min {r['min']*1e3:.2f}, max {r['max']*1e3:.2f})")
PY

# B joins through its own folder once A's file has reached it.
file=$(ls "$work/folder-a" | grep tessera-sync)
until [ -f "$work/folder-b/$file" ]; do sleep 0.05; done
on b sync join --folder "$work/folder-b" --secret-file "$work/secret" >/dev/null
times=()
for i in $(seq 10); do
  start=$(date +%s%N)
  on a add --name "probe $i" --secret GEZDGNBVGY3TQOJQ >/dev/null
  until on b list | grep -q "^probe $i\b"; do sleep 0.02; done
  times+=($((($(date +%s%N) - start) / 1000000)))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "add on A to listed on B through Syncthing: median %d ms of %d (min %d, max %d)\n", (a[5]+a[6])/2, NR, a[1], a[NR]}'
