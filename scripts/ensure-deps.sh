#!/usr/bin/env bash
# Installs what Tessera's commands need on Debian/Ubuntu, only where it is missing, so that
# `make run` and `make test` work on a fresh machine and cost nothing on a prepared one.
#
#   scripts/ensure-deps.sh test    what `make test` needs
#   scripts/ensure-deps.sh run     what `make run` needs
#   scripts/ensure-deps.sh bench   what `make bench` needs
set -euo pipefail

purpose=${1:-test}

# Debian packages each purpose needs (checked with dpkg, installed with apt-get).
common=(build-essential pkg-config)
# A real Secret Service for the tests: a private session bus, gnome-keyring, and libsecret's
# secret-tool to look at what was stored from outside Tessera.
keyring=(dbus gnome-keyring libsecret-tools)
case "$purpose" in
  test)  packages=("${common[@]}" "${keyring[@]}" oathtool) ;;
  run)   packages=("${common[@]}") ;;
  bench) packages=("${common[@]}" "${keyring[@]}" oathtool hyperfine) ;;
  *) echo "usage: $0 test|run|bench" >&2; exit 2 ;;
esac

say() { printf 'ensure-deps: %s\n' "$*" >&2; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    say "missing ${missing[*]}, and this is not a Debian/Ubuntu machine: install them by hand"
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  say "cargo is missing: install Rust with rustup (https://rustup.rs), then run this again"
  exit 1
fi
if [ "$purpose" = test ]; then
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      say "installing the Rust component $component"
      rustup component add "$component"
    fi
  done
fi
