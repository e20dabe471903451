#!/usr/bin/env bash
# Starts the desktop app built by `make run`, after checking that there is a display for it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<'MSG'
make run: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the Tessera window
cannot open. Run it from a desktop session, or over SSH with X forwarding (ssh -X). Without a
display, the `tessera` command does everything from a terminal: target/debug/tessera --help
MSG
  exit 1
fi
exec target/debug/tessera-desktop "$@"
