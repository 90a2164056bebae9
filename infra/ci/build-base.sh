#!/usr/bin/env bash
# Builds the CI's base images from Debian packages, for a machine with Podman but no image registry:
#   localhost/debian-py:bookworm   a debootstrap'ed Debian 12 with Python 3 (the stand-ins build FROM it)
#   localhost/python:3.11-slim     a stand-in for the official python:3.11-slim the service images build FROM
# The machine's package mirrors, CA certificates and pip configuration go in, so apt and pip inside
# builds reach what the host reaches. Run as root; the compose test runs it on every CI run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sources=/etc/apt/sources.list.d/debian.sources
mirror="$(awk '/^URIs:/{print $2; exit}' "$sources")"
rootfs="$work/rootfs"
debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
  bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs/etc/apt/sources.list"
cp "$sources" "$rootfs/etc/apt/sources.list.d/"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
fi
: >"$rootfs/etc/resolv.conf"
tar -C "$rootfs" -c . | podman import --change 'ENV LANG=C.UTF-8' - localhost/debian-py:bookworm >/dev/null

# The python stand-in, with the host's pip configuration (index, certificates, constraints).
ctx="$work/python"
cp -r "$here/stand-ins/python" "$ctx"
mkdir -p "$ctx/etc/xdg-pip"
if [ -f /etc/pip.conf ]; then cp /etc/pip.conf "$ctx/etc/pip.conf"; else : >"$ctx/etc/pip.conf"; fi
if [ -d /etc/xdg/pip ]; then cp -r /etc/xdg/pip/. "$ctx/etc/xdg-pip/"; fi
podman build --network=host --pull=never -q -t localhost/python:3.11-slim "$ctx" >/dev/null
echo "built localhost/debian-py:bookworm and localhost/python:3.11-slim"
