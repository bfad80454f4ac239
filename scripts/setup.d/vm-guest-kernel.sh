#!/usr/bin/env bash
# isobench's guest kernel for the vm environment: `make allnoconfig` plus
# src/envs/vm/guest-kernel.config, compiled from the distribution's
# linux-source package (apt-get download: nothing is installed, no bootloader
# is touched). Output: build/guest-kernel/<version>-<config sha8>/ with
#   vmlinux      the uncompressed ELF QEMU boots through PVH
#   config       the full .config it was built with
#   PROVENANCE   source package + version, sha256 of the config fragment
# src/envs/vm/kernel.ts prefers this kernel; `--vm-kernel debian` selects
# Debian's stock one (scripts/setup.d/vm-kernel.sh). Idempotent: a build
# whose source version and fragment are unchanged is kept. ~5 min on 2 cores.
# A failed build exits non-zero; scripts/setup reports it and goes on (the
# stock kernel stays the default); .ci/run insists on the built kernel.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
fragment=src/envs/vm/guest-kernel.config
dest=build/guest-kernel

cfgsha=$(sha256sum "$fragment" | cut -c1-8)
# linux-source is a metapackage on Debian and Ubuntu; its dependency names the tree.
resolve() { apt-cache depends linux-source 2>/dev/null | awk '/Depends: linux-source-[0-9]/ { print $2; exit }'; }
pkg=$(resolve)
if [ -z "$pkg" ]; then apt-get update -q >/dev/null; pkg=$(resolve); fi
if [ -z "$pkg" ]; then
  echo "vm-guest-kernel.sh: no linux-source package in apt; the vm environment will boot the stock kernel (slower)" >&2
  exit 0
fi
srcver=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2; exit }')
key="${srcver}-${cfgsha}"
if [ -f "$dest/$key/vmlinux" ] && [ -f "$dest/$key/PROVENANCE" ]; then
  echo "vm-guest-kernel.sh: $dest/$key/vmlinux is up to date"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/isobench-kbuild.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work" # apt drops privileges to _apt for downloads
echo "vm-guest-kernel.sh: building the guest kernel from $pkg $srcver (config $fragment, sha256 $cfgsha…); this takes a few minutes"
(cd "$work" && apt-get download -q "$pkg" >/dev/null)
deb=$(ls "$work"/*.deb | head -1)
# The package holds one tarball under /usr/src (xz on Debian, bz2 on Ubuntu).
tarball=$(dpkg-deb -c "$deb" | awk '{ print $NF }' | grep -E '^\./usr/src/[^/]+\.tar\.[a-z0-9]+$' | head -1)
if [ -z "$tarball" ]; then echo "vm-guest-kernel.sh: no source tarball in $deb" >&2; exit 1; fi
mkdir -p "$work/src"
dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$tarball" > "$work/linux.tar"
rm -f "$deb"
tar -x -C "$work/src" -f "$work/linux.tar" # GNU tar detects the compression of a file
rm -f "$work/linux.tar"
tree=$(ls -d "$work"/src/*/ | head -1)
obj="$work/obj"
make -s -C "$tree" O="$obj" allnoconfig KCONFIG_ALLCONFIG="$repo/$fragment" >/dev/null
# Every option of the fragment must have survived Kconfig's dependency
# resolution; a silently dropped one (renamed in a newer tree) is an error.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment" | cut -d= -f1 | while read -r o; do grep -q "^$o=" "$obj/.config" || echo "$o"; done)
if [ -n "$missing" ]; then
  echo "vm-guest-kernel.sh: options of $fragment not accepted by $pkg $srcver: $missing" >&2
  exit 1
fi
jobs=$(( $(nproc) + 1 ))
if ! make -s -C "$tree" O="$obj" -j"$jobs" vmlinux > "$work/build.log" 2>&1; then
  tail -30 "$work/build.log" >&2
  echo "vm-guest-kernel.sh: kernel build failed (log above)" >&2
  exit 1
fi
out="$dest/$key.partial"
rm -rf "$out"
mkdir -p "$out"
cp "$obj/vmlinux" "$out/vmlinux"
cp "$obj/.config" "$out/config"
echo "$pkg $srcver config-sha256=$(sha256sum "$fragment" | cut -d' ' -f1)" > "$out/PROVENANCE"
# One kernel per fragment: older builds go.
find "$dest" -mindepth 1 -maxdepth 1 ! -name "$key.partial" -exec rm -rf {} +
mv "$out" "$dest/$key"
echo "vm-guest-kernel.sh: $dest/$key/vmlinux ($(du -h "$dest/$key/vmlinux" | cut -f1)) built from $pkg $srcver"
