#!/bin/sh
# What the linuxserver image does at start, the parts the stack relies on: defaults copied once, the peer
# port from PEERPORT, /config owned by PUID:PGID, the daemon in the foreground as that user.
set -eu
uid="${PUID:-1000}" gid="${PGID:-1000}"
mkdir -p /config
[ -f /config/settings.json ] || cp /defaults/settings.json /config/settings.json
if [ -n "${PEERPORT:-}" ]; then
  python3 - "$PEERPORT" <<'PY'
import json, sys
path = "/config/settings.json"
settings = json.load(open(path))
settings["peer-port"] = int(sys.argv[1])
json.dump(settings, open(path, "w"), indent=4)
PY
fi
chown -R "$uid:$gid" /config
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups transmission-daemon -f -g /config
