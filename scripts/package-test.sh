#!/usr/bin/env bash
# The .deb from `make package`, checked as a distribution would and then used as a user would:
# its control data and contents, lintian (no errors), the desktop entry and AppStream
# validators, its Depends against the shared libraries the binaries load; installed with apt,
# the installed `tessera` run against the private keyring and the installed window started on
# the virtual screen; removed, and nothing of it left. Run by `make test`, inside
# scripts/with-keyring.sh and xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'package-test: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)

deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1)
rpm=$(ls -t target/release/bundle/rpm/*.rpm 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no .deb in target/release/bundle/deb: run make package"
[ -n "$rpm" ] || fail "no .rpm in target/release/bundle/rpm: run make package"
say "checking $deb"

# Control data.
info=$(dpkg-deb --info "$deb")
package=$(dpkg-deb --field "$deb" Package)
[ "$package" = tessera ] || fail "the package is named $package"
depends=$(dpkg-deb --field "$deb" Depends)
grep -q 'libwebkit2gtk-4.1-0' <<<"$depends" || fail "Depends lacks WebKitGTK: $depends"
recommends=$(dpkg-deb --field "$deb" Recommends)
grep -q 'gnome-keyring' <<<"$recommends" || fail "no Secret Service in Recommends: $recommends"
# KWallet's encrypted sessions need QCA's crypto plugins, which libkf5wallet-bin does not pull in.
grep -q 'libqca-qt5-2-plugins' <<<"$recommends" || fail "KWallet's crypto plugins not in Recommends: $recommends"
printf '%s\n' "$info" | sed -n '/Package:/,$p' >&2

# Contents: what a user finds on disk.
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./||; s|^|/|; s|/$||')
for path in /usr/bin/tessera-desktop /usr/bin/tessera \
    /usr/share/applications/Tessera.desktop \
    /usr/share/icons/hicolor/32x32/apps/tessera-desktop.png \
    /usr/share/icons/hicolor/128x128/apps/tessera-desktop.png \
    /usr/share/icons/hicolor/16x16/apps/tessera-desktop.png \
    /usr/share/icons/hicolor/48x48/apps/tessera-desktop.png \
    /usr/share/icons/hicolor/256x256/apps/tessera-desktop.png \
    /usr/share/metainfo/app.tessera.desktop.metainfo.xml \
    /usr/share/polkit-1/actions/app.tessera.unlock.policy \
    /usr/share/dbus-1/services/app.tessera.SearchProvider.service \
    /usr/share/gnome-shell/search-providers/app.tessera.search-provider.ini \
    /usr/share/krunner/dbusplugins/app.tessera.krunner.desktop \
    /usr/share/man/man1/tessera.1.gz /usr/share/man/man1/tessera-desktop.1.gz \
    /usr/share/man/man1/tessera-code.1.gz \
    /usr/share/bash-completion/completions/tessera \
    /usr/share/zsh/vendor-completions/_tessera \
    /usr/share/fish/vendor_completions.d/tessera.fish \
    /usr/share/doc/tessera/copyright; do
  grep -qx "$path" <<<"$contents" || fail "$path is not in the package"
done
rpm_contents=$(rpm -qlp "$rpm" 2>/dev/null)
for path in /usr/bin/tessera-desktop /usr/bin/tessera /usr/share/man/man1/tessera.1.gz \
    /usr/share/zsh/site-functions/_tessera \
    /usr/share/dbus-1/services/app.tessera.SearchProvider.service \
    /usr/share/gnome-shell/search-providers/app.tessera.search-provider.ini \
    /usr/share/krunner/dbusplugins/app.tessera.krunner.desktop; do
  grep -qx "$path" <<<"$rpm_contents" || fail "$path is not in the .rpm"
done

# The validators, on the files as packaged.
unpacked=$(mktemp -d "${TMPDIR:-/tmp}/tessera-deb.XXXXXX")
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb --extract "$deb" "$unpacked"
desktop-file-validate "$unpacked/usr/share/applications/Tessera.desktop" \
  || fail "desktop-file-validate"
appstreamcli validate --no-net "$unpacked/usr/share/metainfo/app.tessera.desktop.metainfo.xml" >&2 \
  || fail "appstreamcli validate"
# The entry and the metainfo speak German too, as the window does.
grep -q '^Comment\[de\]=Zwei-Faktor-Codes' "$unpacked/usr/share/applications/Tessera.desktop" \
  || fail "the desktop entry has no German comment"
grep -q '<summary xml:lang="de">' "$unpacked/usr/share/metainfo/app.tessera.desktop.metainfo.xml" \
  || fail "the metainfo has no German summary"
# The lock's Polkit action: well-formed, and the id the app asks about.
python3 -c 'import sys, xml.etree.ElementTree as ET; ids = [a.get("id") for a in ET.parse(sys.argv[1]).getroot().iter("action")]; sys.exit(ids != ["app.tessera.unlock"])' \
  "$unpacked/usr/share/polkit-1/actions/app.tessera.unlock.policy" || fail "the Polkit action is not app.tessera.unlock"
# The search providers' files name one bus name and the object paths the provider serves, and
# the desktop entry GNOME shows the results under.
provider=$unpacked/usr/share/gnome-shell/search-providers/app.tessera.search-provider.ini
grep -qx 'BusName=app.tessera.SearchProvider' "$provider" || fail "the GNOME provider's bus name"
grep -qx "DesktopId=$(basename "$unpacked"/usr/share/applications/*.desktop)" "$provider" \
  || fail "the GNOME provider's DesktopId is not the package's desktop entry"
grep -qx 'Exec=/usr/bin/tessera search-provider' \
  "$unpacked/usr/share/dbus-1/services/app.tessera.SearchProvider.service" \
  || fail "the activation file does not start /usr/bin/tessera search-provider"
grep -qx 'X-Plasma-DBusRunner-Service=app.tessera.SearchProvider' \
  "$unpacked/usr/share/krunner/dbusplugins/app.tessera.krunner.desktop" || fail "the KRunner runner's bus name"
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1 || true)
printf 'lintian:\n%s\n' "${lintian_out:-(nothing)}" >&2
if grep -q '^E: ' <<<"$lintian_out"; then fail "lintian reports errors"; fi

# Depends against the shared libraries: every package dpkg-shlibdeps finds the binaries need is
# in Depends.
shlibs_dir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-shlibs.XXXXXX")
mkdir -p "$shlibs_dir/debian"
printf 'Source: tessera\n\nPackage: tessera\nArchitecture: any\n' >"$shlibs_dir/debian/control"
needed=$(cd "$shlibs_dir" && dpkg-shlibdeps -O -e "$unpacked/usr/bin/tessera-desktop" \
  -e "$unpacked/usr/bin/tessera" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
rm -rf "$shlibs_dir"
[ -n "$needed" ] || fail "dpkg-shlibdeps found nothing"
declared=$(sed 's/([^)]*)//g; s/|/,/g' <<<"$depends" | tr ',' '\n' | awk 'NF {print $1}')
for package in $(sed 's/([^)]*)//g' <<<"$needed" | tr ',' '\n' | awk 'NF {print $1}'); do
  grep -qx "$package" <<<"$declared" || fail "the binaries need $package, which Depends lacks ($depends)"
done
say "Depends covers what dpkg-shlibdeps finds: $needed"

# Installed with apt, used, removed.
remove() { "${sudo[@]}" apt-get remove --purge -y -qq tessera >/dev/null 2>&1 || true; }
trap 'remove; rm -rf "$unpacked"' EXIT
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$(readlink -f "$deb")" >/dev/null
home=$(mktemp -d "${TMPDIR:-/tmp}/tessera-pkg-home.XXXXXX")
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config"
version=$(/usr/bin/tessera --version)
[ "$version" = "tessera $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)" ] \
  || fail "tessera --version says $version"
/usr/bin/tessera add --name packaged --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ >/dev/null
/usr/bin/tessera list | grep -q '^packaged' || fail "tessera list does not show the account"
[ "$(/usr/bin/tessera code packaged --at 59)" = "$(oathtool --totp -b -N @59 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ)" ] \
  || fail "the installed tessera's code differs from oathtool's"
/usr/bin/tessera-desktop >"$home/desktop.log" 2>&1 &
desktop=$!
# Looked for again and again rather than with `search --sync`: xdotool exits on an X error when
# a window it is looking at goes away meanwhile (BadWindow), as WebKit's start windows do.
shown=
for _ in $(seq 150); do
  xdotool search --onlyvisible --name '^Tessera$' >/dev/null 2>&1 && shown=yes && break
  sleep 0.2
done
if [ -z "$shown" ]; then
  kill "$desktop" 2>/dev/null || true
  cat "$home/desktop.log" >&2
  fail "the installed tessera-desktop showed no window within 30 s"
fi
kill "$desktop"
wait "$desktop" 2>/dev/null || true
# Started in the tray (at login), the installed app becomes the tessera beside it, without WebKit.
/usr/bin/tessera-desktop --minimised >"$home/tray.log" 2>&1 &
tray=$!
for _ in $(seq 100); do
  [ "$(tr '\0' ' ' <"/proc/$tray/cmdline" 2>/dev/null)" = "/usr/bin/tessera tray " ] && break
  sleep 0.1
done
running=$(tr '\0' ' ' <"/proc/$tray/cmdline" 2>/dev/null || true)
kill "$tray" 2>/dev/null || true
wait "$tray" 2>/dev/null || true
[ "$running" = "/usr/bin/tessera tray " ] \
  || { cat "$home/tray.log" >&2; fail "tessera-desktop --minimised runs '$running', not tessera tray"; }
# The desktop's search: the session bus starts the installed provider from the installed
# activation file, with this home's vault (the bus's environment, as a login session sets it).
dbus-send --session --dest=org.freedesktop.DBus --type=method_call /org/freedesktop/DBus \
  org.freedesktop.DBus.UpdateActivationEnvironment \
  "dict:string:string:XDG_DATA_HOME,$XDG_DATA_HOME,XDG_CONFIG_HOME,$XDG_CONFIG_HOME"
id=$(/usr/bin/tessera list --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
found=$(dbus-send --session --print-reply --dest=app.tessera.SearchProvider \
  /app/tessera/SearchProvider org.gnome.Shell.SearchProvider2.GetInitialResultSet \
  array:string:pack 2>&1) || fail "the search provider was not activated: $found"
grep -q "\"$id\"" <<<"$found" || fail "the installed search provider did not find the account: $found"
pkill -f '^/usr/bin/tessera search-provider' || true
say "installed: $version ran against the keyring, tessera-desktop showed its window and its tray, the search provider answered"

remove
if dpkg -s tessera >/dev/null 2>&1; then fail "tessera is still installed"; fi
left=""
while read -r path; do
  [ -n "$path" ] && [ -f "$path" ] && left+="$path "
done <<<"$contents"
[ -z "$left" ] || fail "left on the system after removal: $left"
rm -rf "$home"
say "removed: nothing of it is left"
