#!/usr/bin/env bash
# Runs a command against a real Secret Service of its own: a private D-Bus session bus with
# gnome-keyring unlocked (password "test"), in throwaway XDG directories. The user's own bus,
# keyring and vault are never touched.
#
#   scripts/with-keyring.sh cargo test --workspace
set -euo pipefail

if [ -z "${TESSERA_PRIVATE_BUS:-}" ]; then
  export TESSERA_PRIVATE_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tessera-keyring.XXXXXX")
chmod 700 "$scratch"
mkdir -p "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
  XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"

"$(dirname "$0")/unlock-keyring.sh"

status=0
"$@" || status=$?
rm -rf "$scratch"
exit "$status"
