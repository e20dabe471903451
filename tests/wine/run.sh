#!/usr/bin/env bash
# Runs a Windows program under Wine, headless, in a Wine prefix made ready for Rust programs:
#
#   tests/wine/run.sh PROGRAM.exe [ARGS...]   runs it (cargo's runner for x86_64-pc-windows-gnu,
#                                             so `cargo test --target x86_64-pc-windows-gnu` runs
#                                             the tests under Wine: see `make windows`)
#   tests/wine/run.sh --prepare               only makes the prefix ready (the Wine test's harness,
#                                             crates/test-support/src/wine.rs, for a prefix of its own)
#   tests/wine/run.sh --stop                  stops the prefix's wineserver and its programs
#
# The prefix is $WINEPREFIX, else target/wine-prefix. Making it ready:
# - a wineserver for it, kept up for 60 s after its last program, started with no output of
#   ours: a server started by a program would hold that program's output open until it exits;
# - wineboot, output to nowhere for the same reason (it leaves Wine's services running);
# - the stand-in bcryptprimitives.dll (see bcryptprimitives.c), which Rust programs need and
#   Debian 12's Wine 8 lacks, and credentials.exe (see credentials.c), built with MinGW-w64.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export WINEPREFIX=${WINEPREFIX:-$here/../../target/wine-prefix}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=

# Debian's wine64 package installs the loader as /usr/lib/wine/wine64; the `wine` package adds
# it to the PATH.
wine=$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)
[ -x "$wine" ] || { echo "run.sh: Wine is missing: \`make test\` installs it (wine64)" >&2; exit 1; }
server=$(dirname "$wine")/wineserver
[ -x "$server" ] || server=wineserver

if [ "${1:-}" = --stop ]; then
  exec "$server" -k
fi
mkdir -p "$WINEPREFIX"
# Starts the prefix's server, or leaves the running one be.
"$server" -p60 </dev/null >/dev/null 2>&1 || true
tools=$WINEPREFIX/drive_c/tessera-tests
if [ ! -f "$tools/ready" ]; then
  "$wine" wineboot --init </dev/null >/dev/null 2>&1
  system32=$WINEPREFIX/drive_c/windows/system32
  [ -d "$system32" ] || { echo "run.sh: wineboot made no $system32" >&2; exit 1; }
  cc=x86_64-w64-mingw32-gcc-posix
  if [ ! -f "$system32/bcryptprimitives.dll" ]; then
    "$cc" -O2 -Wall -shared -o "$system32/bcryptprimitives.dll" \
      "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
  fi
  mkdir -p "$tools"
  "$cc" -O2 -Wall -o "$tools/credentials.exe" "$here/credentials.c" -ladvapi32
  touch "$tools/ready"
fi

if [ "${1:-}" = --prepare ]; then
  exit 0
fi
exec "$wine" "$@"
