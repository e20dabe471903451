#!/usr/bin/env bash
# Times the vault commands as whole processes (hyperfine, medians): `tessera list` and
# `tessera list --json` at 10, 100 and 1000 accounts, and `tessera code NAME` at 1000.
# Needs a private Secret Service: run through `make bench` (scripts/with-keyring.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${TESSERA_PRIVATE_BUS:-}" ] || { echo "run through make bench (scripts/with-keyring.sh)" >&2; exit 1; }
cargo build --release -q -p tessera-cli
tessera=$PWD/target/release/tessera
out=$PWD/target/bench-vault-commands
mkdir -p "$out"
for n in 10 100 1000; do
  export XDG_DATA_HOME
  XDG_DATA_HOME=$(mktemp -d)
  # n-1 accounts written to the index directly (listing needs no key), one added for real.
  python3 - "$XDG_DATA_HOME" "$n" <<'PY'
import json, os, sys
home, n = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{home}/tessera", exist_ok=True)
accounts = [{"id": f"bench{i:06}", "name": f"account {i:04}", "issuer": "Bench Corp",
             "label": f"user{i}@example.com", "type": "totp", "algorithm": "SHA1", "digits": 6,
             "period": 30, "created": 1700000000} for i in range(n - 1)]
json.dump({"format": "tessera-index", "version": 1, "accounts": accounts},
          open(f"{home}/tessera/vault.json", "w"), indent=2)
PY
  "$tessera" add --name target --secret JBSWY3DPEHPK3PXP >/dev/null
  [ "$("$tessera" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "$n" ]
  cmds=(-n "list ($n)" "$tessera list" -n "list --json ($n)" "$tessera list --json")
  [ "$n" = 1000 ] && cmds+=(-n "code NAME ($n)" "$tessera code target")
  # hyperfine's own warnings (outliers on a busy machine) go to its log; the medians below are what count.
  hyperfine -N --warmup 10 --runs "${RUNS:-200}" --export-json "$out/$n.json" "${cmds[@]}" >"$out/$n.log" 2>&1
  rm -rf "$XDG_DATA_HOME"
done
python3 - "$out" <<'PY'
import json, sys, glob
for path in sorted(glob.glob(f"{sys.argv[1]}/*.json"), key=lambda p: int(p.rsplit('/', 1)[1][:-5])):
    for r in json.load(open(path))["results"]:
        print(f"{r['command']:>20}: median {r['median']*1e3:6.2f} ms  (min {r['min']*1e3:.2f}, max {r['max']*1e3:.2f})")
PY
