# redis.sh WORKDIR REQUESTS CLIENTS: redis-server on a free loopback port,
# redis-benchmark SET and GET against it (-P 1: one request per round trip).
. "${0%/*}/common.sh"
N=$2 C=$3
PORT=$("$P" port) || fail "no free loopback port"
"$ROOT/usr/bin/redis-server" --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$W" --logfile "$W/redis.log" &
SERVER=$!
"$P" waitport "$PORT" 120000 || { cat "$W/redis.log" >&2; finish 1; }
rc=0
"$ROOT/usr/bin/redis-benchmark" -h 127.0.0.1 -p "$PORT" -n "$N" -c "$C" -P 1 -t set,get --csv || rc=$?
finish $rc
