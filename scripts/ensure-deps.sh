#!/usr/bin/env bash
# Installs what Tessera's commands need on Debian/Ubuntu, only where it is missing, so that
# `make run` and `make test` work on a fresh machine and cost nothing on a prepared one.
#
#   scripts/ensure-deps.sh run     what `make run` needs: build tools, WebKitGTK, the UI's npm packages
#   scripts/ensure-deps.sh check   and rustfmt and clippy, for `make check`
#   scripts/ensure-deps.sh test    and the tests': a private keyring, oathtool, Xvfb, WebDriver
#   scripts/ensure-deps.sh bench   and the benchmarks': hyperfine, the floors and peers they measure against
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-test}
say() { printf 'ensure-deps: %s\n' "$*" >&2; }

# Debian packages (checked with dpkg, installed with apt-get); Tauri 2's list for Debian.
# cmake builds the bundled zxing-cpp QR reader (C++17).
build=(build-essential cmake pkg-config curl wget file libssl-dev)
tauri=(libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev)
# A real Secret Service for the tests, and libsecret's secret-tool to look at it from outside.
keyring=(dbus dbus-x11 gnome-keyring libsecret-tools)
# The window under test: a virtual X screen, WebKit's WebDriver, the clipboard, screenshots,
# xwininfo (x11-utils) to find a file chooser by its translated title.
# rsvg-convert (librsvg2-bin) draws the recovery sheet's QR codes for the tests to read back.
# The screen reader test reads the page through AT-SPI with libatspi (at-spi2-core, from Python).
window=(xvfb xauth webkit2gtk-driver xclip xdotool x11-utils imagemagick procps librsvg2-bin at-spi2-core python3-gi gir1.2-atspi-2.0)
# The other Linux keychains the tests run the vault against, each headless on a bus of its own:
# KeePassXC's Secret Service, and KWallet's (kwalletd5; without the QCA plugins its encrypted
# sessions fail, "createDLGroup failed").
keychains=(keepassxc libkf5wallet-bin libqca-qt5-2-plugins)
# The sync tests: two real Syncthing instances on 127.0.0.1 (tests/syncthing/pair.sh), driven
# through their REST API with curl.
sync=(syncthing curl python3)
# The package test: lintian, the desktop entry and AppStream validators, rpm to list the .rpm.
packaging=(lintian desktop-file-utils appstream rpm)
# The Windows build (`make windows`): MinGW-w64's C and C++ cross compilers, the posix-threads
# variants (the bundled zxing-cpp needs std::mutex); and Wine to run tessera.exe in the tests.
windows=(gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix wine64)
# The floors the benchmarks measure against: libsecret from Python (the keychain's reads and
# writes), bc for the tables.
floors=(python3-gi gir1.2-secret-1 bc)
# bench/peers.sh: OTPClient, Debian's GTK authenticator, started beside Tessera; Python's X
# library to watch the windows, and its cryptography to write OTPClient's database; busctl
# (systemd's) to label gnome-keyring's session collection for 10,000 accounts.
peers=(otpclient python3-xlib python3-cryptography systemd)
case "$purpose" in
  run|check) packages=("${build[@]}" "${tauri[@]}") ;;
  test)  packages=("${build[@]}" "${tauri[@]}" "${keyring[@]}" "${window[@]}" "${packaging[@]}" "${windows[@]}" "${sync[@]}" "${keychains[@]}" oathtool) ;;
  bench) packages=("${build[@]}" "${tauri[@]}" "${keyring[@]}" "${window[@]}" "${floors[@]}" "${peers[@]}" "${sync[@]}" oathtool hyperfine) ;;
  *) echo "usage: $0 run|check|test|bench" >&2; exit 2 ;;
esac
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
# The backup-format test decrypts a Tessera backup with docs/decrypt-backup.py, which needs
# Python's `cryptography` 44 or later (Argon2id). Where python3 lacks it, a venv in target/.
has_argon2() { "$1" -c 'from cryptography.hazmat.primitives.kdf.argon2 import Argon2id' 2>/dev/null; }
need_pyvenv=false
if [ "$purpose" != run ] && [ "$purpose" != check ] && ! has_argon2 python3 && ! has_argon2 target/pyvenv/bin/python; then
  need_pyvenv=true
  packages+=(python3 python3-venv)
fi

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
node_major=$(node -p 'process.versions.node.split(".")[0]')
# 18 is Debian 12's; the UI's tooling is pinned to versions that run on it (Vite 6).
if [ "$node_major" -lt 18 ]; then
  say "Node.js $(node --version) is too old for the UI's build (it needs 18 or newer): install a newer Node.js"
  exit 1
fi
# The UI's npm packages (Vite, TypeScript, the Tauri API and CLI). `npm install`, not `npm ci`:
# registry mirrors may lack the CLI's packages for other platforms.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "installing the UI's npm packages"
  npm --prefix ui install --no-fund --no-audit --loglevel=error
fi

if [ "$purpose" != run ]; then
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      say "installing the Rust component $component"
      rustup component add "$component"
    fi
  done
fi
if [ "$purpose" != run ] && [ "$purpose" != check ]; then
  if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
    say "installing the Rust target x86_64-pc-windows-gnu (the Windows build)"
    rustup target add x86_64-pc-windows-gnu
  fi
  if $need_pyvenv; then
    say "installing Python's cryptography package into target/pyvenv"
    python3 -m venv target/pyvenv
    target/pyvenv/bin/pip install --quiet --disable-pip-version-check 'cryptography>=44'
  fi
  if ! command -v tauri-driver >/dev/null; then
    say "installing tauri-driver (about a minute)"
    cargo install tauri-driver --locked --version '^2' --quiet
  fi
fi
