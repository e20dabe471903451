#!/usr/bin/env bash
# Tessera's start-up and memory beside its peers, in one run: the empty Tauri app of
# bench/floor/ (the framework's floor), Tessera (release) with 10, 1000 and 10,000 accounts,
# Tessera started in the tray (its footprint there as `tessera tray` and with its window kept
# hidden, and the time its window takes to come back), and OTPClient, Debian's GTK
# authenticator, with the same 10 and 1000 accounts (not 10,000: OTPClient keeps its database in
# locked memory, and under the usual 8 MB limit, RLIMIT_MEMLOCK, it loads 3000 of these accounts
# and refuses 5000, "Error while loading json data"). bench/peers.py
# starts them in turns and says what it times; this script gives each app a home of its own
# (XDG directories, a D-Bus session, an unlocked gnome-keyring) and fills it:
# - Tessera: `tessera import` of an otpauth list, one keychain item per account, into
#   gnome-keyring's in-memory session collection (Tessera's `keychain_collection`): gnome-keyring
#   writes its whole file for every item stored in the login collection, so 10,000 accounts took
#   minutes there, and seconds here; reading a key costs the same in either;
# - OTPClient 3.1: its database file (PBKDF2-SHA512 and AES-256-GCM, its format before 4.0),
#   the database's password in the keychain where it looks first, and its settings, so that it
#   opens on its list of accounts without a dialog, in a window of Tessera's size.
# Needs a display: run through `make bench`. RUNS (default 15) starts each app that many times;
# SIZES (default "10 1000 10000") chooses the numbers of accounts (10 is needed: the tray's).
# BEFORE=DIR adds another build's Tessera (DIR holds its release `tessera` and
# `tessera-desktop`, say an earlier commit's), side by side in the same run, to measure a change.
# PIXELS=0 reads no app's pixels but OTPClient's, which says nothing of its own (see peers.py).
# IDLE_SECONDS (default 30) is how long the idle CPU is read, on the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${DISPLAY:-}" ] || { echo "needs a display: run through make bench" >&2; exit 1; }
command -v otpclient >/dev/null || { echo "otpclient is missing: scripts/ensure-deps.sh bench" >&2; exit 1; }
cargo build --release --locked -q -p tessera-desktop -p tessera-cli -p tessera-floor
release=$PWD/target/release
out=$PWD/target/bench-peers
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-peers.XXXXXX")
mkdir -p "$out"
buses=()
cleanup() {
  for pid in "${buses[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A home: XDG directories and a session bus with gnome-keyring unlocked (password "test").
# Prints the environment the app runs in, as JSON.
make_home() {
  local home=$work/$1 bus pid
  mkdir -p "$home/data" "$home/config" "$home/cache" "$home/runtime"
  chmod 700 "$home/runtime"
  { read -r bus; read -r pid; } < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
  buses+=("$pid")
  export XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config XDG_CACHE_HOME=$home/cache \
    XDG_RUNTIME_DIR=$home/runtime DBUS_SESSION_BUS_ADDRESS=$bus
  scripts/unlock-keyring.sh
}

# N accounts, each with its own key: otpauth URIs on standard output.
accounts() {
  /usr/bin/python3 - "$1" <<'PY'
import base64, hashlib, sys
for i in range(1, int(sys.argv[1]) + 1):
    key = base64.b32encode(hashlib.sha1(f"peers {i}".encode()).digest()).decode().rstrip("=")
    print(f"otpauth://totp/Bench%20Corp:user{i}%40example.com?secret={key}&issuer=Bench%20Corp")
PY
}

# OTPClient's files for the accounts of the file $1, in the current home. (Not on standard
# input: the script below is Python's standard input.)
otpclient_home() {  # ACCOUNTS
  /usr/bin/python3 - "$XDG_CONFIG_HOME" "$XDG_DATA_HOME/otpclient.enc" "$1" <<'PY'
import json, os, sys, urllib.parse
import gi
gi.require_version("Secret", "1")
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from gi.repository import Secret

config, db, accounts = sys.argv[1], sys.argv[2], sys.argv[3]
password = "peers-bench"
tokens = []
for uri in open(accounts).read().split():
    u = urllib.parse.urlparse(uri)
    q = urllib.parse.parse_qs(u.query)
    issuer, label = urllib.parse.unquote(u.path[1:]).split(":", 1)
    tokens.append({"type": "TOTP", "label": label, "issuer": issuer, "secret": q["secret"][0],
                   "digits": 6, "algo": "SHA1", "period": 30})
if not tokens:
    sys.exit(f"no accounts in {accounts} for OTPClient")
# OTPClient 3.x's file: IV (16 bytes), salt (32), AES-256-GCM of the JSON list and its NUL with
# the IV and salt as associated data, the tag (16); the key is PBKDF2-SHA512 of the password,
# 100,000 rounds.
iv, salt = os.urandom(16), os.urandom(32)
key = PBKDF2HMAC(hashes.SHA512(), 32, salt, 100_000).derive(password.encode())
plain = json.dumps(tokens, separators=(",", ":")).encode() + b"\0"
with open(db, "wb") as f:
    f.write(iv + salt + AESGCM(key).encrypt(iv, plain, iv + salt))
with open(os.path.join(config, "otpclient.cfg"), "w") as f:
    f.write(f"[config]\ndb_path={db}\nuse_secret_service=true\nshow_memlock_warning=false\n"
            "upgrade_msg=v2_6\nwindow_width=440\nwindow_height=640\n")
schema = Secret.Schema.new("com.github.paolostivanin.OTPClient", Secret.SchemaFlags.NONE,
                           {"string": Secret.SchemaAttributeType.STRING})
assert Secret.password_store_sync(schema, {"string": "main_pwd"}, Secret.COLLECTION_DEFAULT,
                                  "main_pwd", password, None)
PY
}

# Tessera's home: its settings (JSON fields, after the keychain's), its keys in the session
# collection, labelled "bench" for Tessera to find, and its accounts (the file $2), imported a
# thousand at a time (one batch of 10,000 outlasts the keychain's 60 s limit for an answer).
tessera_home() {  # BUILD ACCOUNTS [SETTINGS]
  mkdir -p "$XDG_CONFIG_HOME/tessera"
  echo "{\"keychain_collection\": \"bench\"${3:+, $3}}" >"$XDG_CONFIG_HOME/tessera/settings.json"
  busctl --user set-property org.freedesktop.secrets /org/freedesktop/secrets/collection/session \
    org.freedesktop.Secret.Collection Label s bench
  split -l 1000 "$2" "$work/chunk."
  for chunk in "$work"/chunk.*; do
    "$1/tessera" import --format otpauth "$chunk" >/dev/null
    rm "$chunk"
  done
}

# Each app's home, and a line of peers.py's configuration.
config=$work/peers.json
entry() {  # NAME SIGNAL COMMAND... ; EXTRA (JSON fields) from the environment
  local name=$1 signal=$2; shift 2
  /usr/bin/python3 -c 'import json, os, sys
env = {k: os.environ[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                  "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS")}
app = {"name": sys.argv[1], "signal": sys.argv[2] == "yes", "cmd": sys.argv[3:], "env": env}
app.update(json.loads(os.environ.get("EXTRA") or "{}"))
print(json.dumps(app))' \
    "$name" "$signal" "$@"
}
{
  make_home floor
  entry "empty Tauri app" yes "$release/tessera-floor"
  for n in ${SIZES:-10 1000 10000}; do
    accounts "$n" >"$work/accounts-$n.txt"
    for build in "$release" ${BEFORE:+"$BEFORE"}; do
      name=Tessera home=tessera-$n
      [ "$build" = "$release" ] || name="Tessera before" home=tessera-before-$n
      make_home "$home"
      echo "$name: importing $n accounts..." >&2
      tessera_home "$build" "$work/accounts-$n.txt"
      entry "$name, $n accounts" yes "$build/tessera-desktop"
    done
  done
  make_home tessera-tray
  tessera_home "$release" "$work/accounts-10.txt"
  EXTRA='{"tray": true, "cold": "Tessera, 10 accounts"}' \
    entry "Tessera in the tray (tessera tray), 10 accounts" yes "$release/tessera-desktop"
  make_home tessera-tray-kept
  tessera_home "$release" "$work/accounts-10.txt" '"release_window_after_seconds": 0'
  EXTRA='{"tray": true}' \
    entry "Tessera in the tray, window kept, 10 accounts" yes "$release/tessera-desktop"
  for n in ${SIZES:-10 1000}; do
    [ "$n" -le 1000 ] || continue
    make_home "otpclient-$n"
    echo "OTPClient: writing $n accounts..." >&2
    otpclient_home "$work/accounts-$n.txt"
    entry "OTPClient, $n accounts" no otpclient
  done
} >"$config.lines"
/usr/bin/python3 -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' \
  "$config.lines" >"$config"

/usr/bin/python3 bench/peers.py "$out" "${RUNS:-15}" "$config"
