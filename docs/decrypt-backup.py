#!/usr/bin/env python3
"""Decrypts a Tessera backup without Tessera, following docs/backup-format.md.

    python3 docs/decrypt-backup.py BACKUP.tessera < passphrase.txt

Prints one otpauth:// URI per account (the keys in clear!). Needs the `cryptography` package
(version 44 or later, for Argon2id): pip install 'cryptography>=44'.
"""
import base64
import json
import sys
import urllib.parse

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

data = open(sys.argv[1], "rb").read()
header_bytes, _, sealed = data.partition(b"\n")
header_bytes += b"\n"  # the associated data is the header line with its newline
header = json.loads(header_bytes)
assert header["format"] == "tessera-backup" and header["version"] == 1, "not a version 1 backup"
kdf, cipher = header["kdf"], header["cipher"]
assert kdf["algorithm"] == "argon2id" and cipher["algorithm"] == "aes-256-gcm"
assert kdf["memory_kib"] <= 1024 * 1024 and kdf["memory_kib"] * kdf["iterations"] <= 4194304

passphrase = sys.stdin.readline().rstrip("\r\n").encode()
key = Argon2id(
    salt=base64.b64decode(kdf["salt"]),
    length=32,
    iterations=kdf["iterations"],
    lanes=kdf["parallelism"],
    memory_cost=kdf["memory_kib"],
).derive(passphrase)
payload = json.loads(AESGCM(key).decrypt(base64.b64decode(cipher["nonce"]), sealed, header_bytes))

for a in sorted(payload["accounts"], key=lambda a: a["position"]):
    q = lambda s: urllib.parse.quote(s, safe="")
    params = {"secret": a["secret"], "issuer": a["issuer"], "algorithm": a["algorithm"], "digits": a["digits"]}
    params.update({"counter": a["counter"]} if a["type"] == "hotp" else {"period": a["period"]})
    label = f"{q(a['issuer'])}:{q(a['label'])}" if a["issuer"] else q(a["label"])
    print(f"otpauth://{a['type']}/{label}?{urllib.parse.urlencode(params)}")
