#!/usr/bin/env bash
# Guest kernel for the vm environment: Debian's linux-image package, fetched
# with `apt-get download` and unpacked into build/kernel/<version>/boot/ —
# never installed, so the host's bootloader and /boot stay untouched.
# src/envs/vm/kernel.ts looks here first, then in /boot. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=build/kernel

# linux-image-amd64 is a metapackage; its dependency names the concrete kernel.
resolve() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
pkg=$(resolve)
if [ -z "$pkg" ]; then
  apt-get update -q >/dev/null
  pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
  echo "vm-kernel.sh: cannot resolve linux-image-amd64 to a kernel package (is this Debian/Ubuntu amd64?); the vm environment will use /boot or --kernel" >&2
  exit 0
fi
ver=${pkg#linux-image-}
if ls "$dest/$ver/boot/vmlinuz-"* >/dev/null 2>&1 && [ -f "$dest/$ver/lib/modules/$ver/kernel/fs/ext4/ext4.ko" ]; then
  echo "vm-kernel.sh: $pkg already unpacked in $dest/$ver"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt drops privileges to _apt for downloads; let it write into the scratch dir.
chmod 0777 "$tmp"
(cd "$tmp" && apt-get download -q "$pkg")
deb=$(ls "$tmp"/*.deb | head -1)
mkdir -p "$tmp/root"
# boot/ plus the few modules a guest may load (virtio-mmio block and net
# devices, ext4 for the disk presentation); the rest (hundreds of MB) is skipped.
m=./lib/modules/$ver
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/root" --wildcards ./boot \
  "$m/kernel/drivers/virtio/*" "$m/kernel/drivers/block/virtio_blk.ko*" \
  "$m/kernel/drivers/net/virtio_net.ko*" "$m/kernel/drivers/net/net_failover.ko*" "$m/kernel/net/core/failover.ko*" \
  "$m/kernel/fs/ext4/*" "$m/kernel/fs/jbd2/*" "$m/kernel/fs/mbcache.ko*" "$m/kernel/lib/crc16.ko*" "$m/kernel/crypto/crc32c_generic.ko*"
rm -rf "$dest/$ver"
# Provenance for the manifest (read by src/envs/vm/kernel.ts).
echo "$pkg $(dpkg-deb -f "$deb" Version)" > "$tmp/root/PACKAGE"
mkdir -p "$dest"
rm -rf "$dest/$ver.partial"
mv "$tmp/root" "$dest/$ver.partial"
mv "$dest/$ver.partial" "$dest/$ver"
echo "vm-kernel.sh: unpacked $pkg ($(dpkg-deb -f "$deb" Version)) into $dest/$ver"
