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
