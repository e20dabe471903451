#!/usr/bin/env bash
# Starts gnome-keyring's Secret Service on the session bus of the environment, unlocked
# (password "test"), with its files in the environment's XDG directories, and waits until it
# owns org.freedesktop.secrets. Used by scripts/with-keyring.sh and bench/peers.sh.
set -euo pipefail

# Start the daemon unlocked before anyone asks for the name; otherwise D-Bus activation starts
# a second, locked daemon.
printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 1 200); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
    break
  fi
  sleep 0.05
done
