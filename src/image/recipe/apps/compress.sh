# compress.sh WORKDIR MIB LEVEL: gzip -LEVEL of MIB MiB of generated text
# (written before the timer starts), output discarded.
. "${0%/*}/common.sh"
M=$2 L=$3
"$P" gen data.txt "$((M * 1048576))" || fail "cannot write data.txt"
rc=0
"$P" time -n gzip -u "$((M * 1048576))" -o /dev/null -- "$ROOT/usr/bin/gzip" "-$L" -c data.txt || rc=$?
finish $rc
