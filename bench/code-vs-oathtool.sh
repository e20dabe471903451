#!/usr/bin/env bash
# Times `tessera code` as a whole process next to oathtool, on the same key and moment, with
# hyperfine (medians over many runs; the machine's noise shows in the spread it prints).
# Run through `make bench`, which installs hyperfine and oathtool and builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p tessera-cli
tessera=target/release/tessera
uri='otpauth://totp/Bench:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bench&algorithm=SHA1&digits=6&period=30'
hex=3132333435363738393031323334353637383930
# Both must print the same code, or the comparison means nothing.
ours=$("$tessera" code --uri "$uri" --at 1700000000)
theirs=$(oathtool --totp --now=@1700000000 "$hex")
[ "$ours" = "$theirs" ] || { echo "tessera says $ours, oathtool says $theirs" >&2; exit 1; }
hyperfine -N --warmup 50 --runs "${RUNS:-1000}" --export-json target/bench-code-vs-oathtool.json \
  -n oathtool "oathtool --totp --now=@1700000000 $hex" \
  -n 'tessera code --uri' "$tessera code --uri $uri --at 1700000000"
python3 - <<'PY'
import json
r = {x["command"]: x for x in json.load(open("target/bench-code-vs-oathtool.json"))["results"]}
o, t = r["oathtool"], r["tessera code --uri"]
print(f"median: oathtool {o['median']*1e3:.3f} ms, tessera {t['median']*1e3:.3f} ms, "
      f"ratio {t['median']/o['median']:.2f}x (goal: within 2x)")
PY
