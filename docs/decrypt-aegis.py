#!/usr/bin/env python3
"""Decrypts an Aegis vault (Tessera's `export --format aegis`, or Aegis's own) without Tessera,
following Aegis's published format (docs/vault.md in github.com/beemdevelopment/Aegis).

    python3 docs/decrypt-aegis.py VAULT.json < passphrase.txt

Prints the vault's database (its entries, the keys in clear!) as JSON. Needs the
`cryptography` package: pip install cryptography.
"""
import base64
import json
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

vault = json.load(open(sys.argv[1], encoding="utf-8"))
assert vault["version"] == 1, "not a version 1 Aegis vault"
header = vault["header"]
if header["slots"] is None:  # a vault in clear
    print(json.dumps(vault["db"], indent=2, ensure_ascii=False))
    sys.exit(0)

passphrase = sys.stdin.readline().rstrip("\r\n").encode()
master_key = None
for slot in header["slots"]:
    if slot["type"] != 1:  # only password slots (1) open with a passphrase
        continue
    assert slot["n"] <= 1 << 20 and slot["r"] <= 16 and slot["p"] <= 4, "scrypt cost too high"
    derived = Scrypt(salt=bytes.fromhex(slot["salt"]), length=32, n=slot["n"], r=slot["r"], p=slot["p"]).derive(passphrase)
    params = slot["key_params"]
    try:
        master_key = AESGCM(derived).decrypt(
            bytes.fromhex(params["nonce"]), bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"]), None
        )
        break
    except Exception:
        continue
if master_key is None:
    sys.exit("InvalidTag: the passphrase opens no password slot")

params = header["params"]
db = AESGCM(master_key).decrypt(
    bytes.fromhex(params["nonce"]), base64.b64decode(vault["db"]) + bytes.fromhex(params["tag"]), None
)
print(json.dumps(json.loads(db), indent=2, ensure_ascii=False))
