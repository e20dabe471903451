#!/usr/bin/env bash
# Two real Syncthing instances (Debian's `syncthing`) that sync one folder between them, for the
# sync tests and bench/sync.sh. Everything stays on 127.0.0.1: no global or local discovery, no
# relays, no NAT traversal, no usage reporting or upgrades; the two are introduced to each other
# by their configuration, each listening on a free loopback port.
#
#   tests/syncthing/pair.sh start DIR FOLDER_A FOLDER_B   start both (their homes under DIR), and
#                                                          wait until they are connected
#   tests/syncthing/pair.sh pause|resume DIR               cut or restore the link between them
#   tests/syncthing/pair.sh scan DIR                       have both index their folder now (returns
#                                                          when done), not a watcher's second later
#   tests/syncthing/pair.sh stop DIR                       stop both
#
# Each instance's REST address and API key are in DIR/a.api and DIR/b.api ("ADDRESS KEY").
set -euo pipefail

command=$1 dir=$2
api() { # NODE METHOD PATH
  local address key
  read -r address key <"$dir/$1.api"
  curl -sf -X "$2" -H "X-API-Key: $key" "http://$address$3"
}

case "$command" in
  start)
    folder_a=$(realpath "$3") folder_b=$(realpath "$4")
    mkdir -p "$dir"
    read -r listen_a listen_b gui_a gui_b < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
    for node in a b; do
      syncthing generate --home "$dir/$node" --no-default-folder >/dev/null 2>&1
    done
    id_a=$(syncthing serve --home "$dir/a" --device-id)
    id_b=$(syncthing serve --home "$dir/b" --device-id)
    for node in a b; do
      if [ "$node" = a ]; then
        folder=$folder_a listen=$listen_a gui=$gui_a
      else
        folder=$folder_b listen=$listen_b gui=$gui_b
      fi
      # Syncthing refuses a folder without its marker, so that an unmounted disk is never
      # taken for an empty folder.
      mkdir -p "$folder/.stfolder"
      key=tessera-test-$node-$RANDOM$RANDOM
      echo "127.0.0.1:$gui $key" >"$dir/$node.api"
      cat >"$dir/$node/config.xml" <<EOF
<configuration version="36">
    <folder id="tessera" label="tessera" path="$folder" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <device id="$id_a"></device>
        <device id="$id_b"></device>
        <minDiskFree unit="%">0</minDiskFree>
        <!-- Missing, it is 0: no conflict copies, where Syncthing's default keeps 10. -->
        <maxConflicts>10</maxConflicts>
    </folder>
    <device id="$id_a" name="a" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:$listen_a</address>
    </device>
    <device id="$id_b" name="b" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:$listen_b</address>
    </device>
    <gui enabled="true" tls="false">
        <address>127.0.0.1:$gui</address>
        <apikey>$key</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:$listen</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <startBrowser>false</startBrowser>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
        <reconnectionIntervalS>1</reconnectionIntervalS>
    </options>
</configuration>
EOF
      STNOUPGRADE=1 setsid syncthing serve --home "$dir/$node" --no-browser --no-restart \
        --logfile "$dir/$node.log" </dev/null >/dev/null 2>&1 &
      echo $! >"$dir/$node.pid"
    done
    # Connected when each sees the other.
    for _ in $(seq 600); do
      if api a GET /rest/system/connections 2>/dev/null | grep -q '"connected": *true' &&
        api b GET /rest/system/connections 2>/dev/null | grep -q '"connected": *true'; then
        exit 0
      fi
      sleep 0.1
    done
    echo "pair.sh: the two Syncthing instances did not connect within 60 s (logs: $dir/a.log, $dir/b.log)" >&2
    exit 1
    ;;
  pause | resume)
    for node in a b; do api "$node" POST "/rest/system/$command" >/dev/null; done
    ;;
  scan)
    for node in a b; do api "$node" POST "/rest/db/scan?folder=tessera" >/dev/null; done
    ;;
  stop)
    for node in a b; do
      [ -f "$dir/$node.pid" ] || continue
      kill -- -"$(cat "$dir/$node.pid")" 2>/dev/null || kill "$(cat "$dir/$node.pid")" 2>/dev/null || true
      rm -f "$dir/$node.pid"
    done
    ;;
  *)
    echo "usage: $0 start DIR FOLDER_A FOLDER_B | pause DIR | resume DIR | scan DIR | stop DIR" >&2
    exit 2
    ;;
esac
