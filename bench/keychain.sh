#!/usr/bin/env bash
# The keychain against its floor, on the same gnome-keyring, at N = 10, 100 and 1000 keys:
#
# - Reads: every key of the vault, Tessera at once (one search, the items' attributes
#   pipelined, one GetSecrets: crates/vault/src/secret_service.rs) and one by one (as before),
#   beside libsecret (Python, gi.repository.Secret) loading every item of the service with its
#   attributes and secret in one search_sync. Medians of RUNS (default 5) in-process runs.
# - Writes: `tessera import` of a file of N otpauth:// links (N keys and one index write),
#   beside libsecret storing N items from one process, one call after the other. Each run gets
#   a fresh private keyring, since gnome-keyring rewrites its whole keyring file on every write
#   and a fuller keyring makes every write slower. Medians of RUNS (default 3).
#
# Run through `make bench`. TESSERA=path/to/tessera times another build's import (the one
# before a change, say).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p tessera-cli -p tessera-vault --example keychain_reads
tessera=${TESSERA:-$PWD/target/release/tessera}
reads=$PWD/target/release/examples/keychain_reads
# gi.repository lives in the system's Python (python3-gi), whatever python3 is first on PATH.
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/store.py" <<'PY'
import sys, time, gi
gi.require_version("Secret", "1")
from gi.repository import Secret
schema = Secret.Schema.new("org.freedesktop.Secret.Generic", Secret.SchemaFlags.DONT_MATCH_NAME,
    {"service": Secret.SchemaAttributeType.STRING, "username": Secret.SchemaAttributeType.STRING})
n = int(sys.argv[1])
start = time.perf_counter()
for i in range(n):
    Secret.password_store_sync(schema, {"service": "Floor", "username": f"floor{i:06}"},
        Secret.COLLECTION_DEFAULT, f"Floor {i}", "JBSWY3DPEHPK3PXP", None)
print(f"{(time.perf_counter() - start) * 1e3:.1f}")
PY
cat >"$work/read.py" <<'PY'
import statistics, sys, time, gi
gi.require_version("Secret", "1")
from gi.repository import Secret
n, runs = int(sys.argv[1]), int(sys.argv[2])
samples = []
for _ in range(runs):
    start = time.perf_counter()
    service = Secret.Service.open_sync(Secret.Service, None, Secret.ServiceFlags.OPEN_SESSION, None)
    items = service.search_sync(None, {"service": "Tessera"},
        Secret.SearchFlags.ALL | Secret.SearchFlags.LOAD_SECRETS, None)
    keys = {item.get_attributes()["username"]: item.get_secret().get_text() for item in items}
    samples.append((time.perf_counter() - start) * 1e3)
    assert len(keys) == n, (len(keys), n)
print(f"{statistics.median(samples):.1f}")
PY
# A fresh vault of N accounts in this keyring, then the reads.
cat >"$work/reads.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
export XDG_DATA_HOME XDG_CONFIG_HOME
XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
"$TESSERA" import "$LINKS" >/dev/null
echo "$("$PYTHON" "$WORK/read.py" "$N" "${RUNS:-5}") $("$READS")"
SH
cat >"$work/import.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
export XDG_DATA_HOME XDG_CONFIG_HOME
XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
start=$(date +%s%N)
"$TESSERA" import "$LINKS" >/dev/null
end=$(date +%s%N)
[ "$("$TESSERA" list | tail -n +2 | wc -l)" = "$N" ] || { echo "not all $N accounts were added" >&2; exit 1; }
echo "scale=1; ($end - $start) / 1000000" | bc
SH
chmod +x "$work/reads.sh" "$work/import.sh"
export TESSERA=$tessera READS=$reads PYTHON=$python WORK=$work

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }
for n in 10 100 1000; do
  python3 - "$n" "$work/links-$n.txt" <<'PY'
import base64, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        key = base64.b32encode(f"bench key {i:06}!!".encode()).decode().rstrip("=")
        f.write(f"otpauth://totp/Bench%20Corp:user{i}@example.com?secret={key}&issuer=Bench%20Corp\n")
PY
done

echo "Reading every key (ms, medians of ${RUNS:-5}; ratio = Tessera at once / libsecret)"
printf '%6s  %10s  %18s  %18s  %6s\n' N libsecret "Tessera at once" "Tessera 1 by 1" ratio
for n in 10 100 1000; do
  read -r floor at_once one_by_one < <(N=$n LINKS=$work/links-$n.txt scripts/with-keyring.sh "$work/reads.sh" 2>/dev/null)
  printf '%6s  %10s  %18s  %18s  %6s\n' "$n" "$floor" "$at_once" "$one_by_one" "$(ratio "$at_once" "$floor")"
done

echo
echo "Writing N keys (ms, medians of ${RUNS:-3}, each on a fresh keyring; ratio = Tessera / libsecret)"
printf '%6s  %10s  %16s  %6s  %14s  %14s\n' N libsecret "tessera import" ratio "per key (lib)" "per key (ours)"
for n in 10 100 1000; do
  floor=() ours=()
  for _ in $(seq "${RUNS:-3}"); do
    floor+=("$(scripts/with-keyring.sh "$python" "$work/store.py" "$n" 2>/dev/null)")
    ours+=("$(N=$n LINKS=$work/links-$n.txt scripts/with-keyring.sh "$work/import.sh" 2>/dev/null)")
  done
  f=$(printf '%s\n' "${floor[@]}" | median) o=$(printf '%s\n' "${ours[@]}" | median)
  printf '%6s  %10s  %16s  %6s  %14s  %14s\n' "$n" "$f" "$o" "$(ratio "$o" "$f")" "$(ratio "$f" "$n")" "$(ratio "$o" "$n")"
done
