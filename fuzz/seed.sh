#!/usr/bin/env bash
# Writes the fuzz targets' seed inputs into DIR/TARGET/, from the test fixtures: other apps'
# real backups, the otpauth lines in them, and a few small images of the QR corpus. Each seed
# is shaped as its target reads it (see fuzz/src/lib.rs).
set -eu
cd "$(dirname "$0")/.."
out=${1:?usage: fuzz/seed.sh DIR}
# Written once per version of the seeds: raise it when a target or a seed is added.
version=2
[ "$(cat "$out/.done" 2>/dev/null)" = "$version" ] && exit 0
fixtures=crates/core/tests/fixtures/interop
mkdir -p "$out"/{secret,uri,transfer,backup,qr_image,index,sntp}

n=0
for f in "$fixtures"/*; do
  case $f in *README.md|*expected.json) continue ;; esac
  # Format found from the bytes, with and without the fixtures' passphrase ("test").
  { printf '\000\001'; cat "$f"; } >"$out/backup/$(basename "$f").auto"
  { printf '\000\000'; cat "$f"; } >"$out/backup/$(basename "$f").nopass"
done
grep -ho 'otpauth://[^"[:space:],]*' "$fixtures"/* | sort -u | while read -r line; do
  n=$((n + 1))
  printf '%s' "$line" >"$out/uri/$n"
  secret=$(printf '%s' "$line" | grep -o 'secret=[^&]*' | cut -d= -f2 || true)
  [ -n "$secret" ] && printf '%s' "$secret" >"$out/secret/$n"
done
printf 'jbsw y3dp-ehpk 3pxp' >"$out/secret/spaced"
printf 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====' >"$out/secret/padded"

# Transfer links and images: the QR corpus's generator writes both (only its small images).
corpus=$(mktemp -d)
cargo run --quiet -p tessera-qr --example qr-corpus -- "$corpus" >/dev/null
grep -ho 'otpauth-migration://[^[:space:]]*' "$corpus"/*.txt | head -n 20 | while read -r line; do
  n=$((n + 1))
  { printf '\000'; printf '%s\n' "$line"; } >"$out/transfer/$n"
done
find "$corpus" -name '*.txt' -prune -o -type f -size -24k -print | head -n 40 |
  while read -r image; do cp "$image" "$out/qr_image/"; done
rm -rf "$corpus"

# A stratum 2 server's reply to a request sent at NTP time 0xE9000000.00000000, read 1 s later.
printf '\xe9\x00\x00\x00\x00\x00\x00\x00\xe9\x00\x00\x01\x00\x00\x00\x00\x24\x02\x06\xec' >"$out/sntp/reply"
printf '\x00%.0s' $(seq 8) >>"$out/sntp/reply"
printf 'GPS\0' >>"$out/sntp/reply"
printf '\x00%.0s' $(seq 8) >>"$out/sntp/reply"
printf '\xe9\x00\x00\x00\x00\x00\x00\x00\xe9\x00\x00\x00\x80\x00\x00\x00\xe9\x00\x00\x00\x80\x00\x00\x00' >>"$out/sntp/reply"

cat >"$out/index/vault.json" <<'JSON'
{"format":"tessera-index","version":1,"accounts":[{"id":"082824b3297d9c6d","name":"staging-tester-07","issuer":"Amazon Web Services","label":"admin@123456789012","type":"totp","algorithm":"SHA1","digits":6,"period":30,"created":1795328619},{"id":"00000000000000ff","name":"h","type":"hotp","algorithm":"SHA256","digits":8,"counter":3,"created":0,"tags":["x"]}],"next":{"a":1}}
JSON
echo "$version" >"$out/.done"
