# Sourced by every application script. ROOT is "" inside the image's own
# root and the unpacked rootfs when the host arm runs the script by its host
# path, so the image's binaries are the ones that run in every environment.
ROOT=${0%/isobench/apps/*}
P="$ROOT/isobench/probe"
W=$1
SERVER=
fail() { echo "isobench-apps: $*" >&2; exit 1; }
finish() {
  rc=$1
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; fi
  cd / && rm -rf "$W"
  exit "$rc"
}
[ -n "$W" ] || fail "usage: $0 WORKDIR ..."
mkdir -p "$W" && cd "$W" || fail "cannot create $W"
# Storage scripts say when their work dir is RAM (tmpfs/ramfs): such a figure
# is not comparable with a disk (statfs magic 0x01021994 tmpfs, 0x858458f6 ramfs).
scratch_in_ram() {
  case $("$ROOT/bin/busybox" stat -f -c %t "$W" 2>/dev/null) in
    1021994|858458f6) echo "isobench.result scratch_in_ram=1 1" ;;
    *) echo "isobench.result scratch_in_ram=0 1" ;;
  esac
}
