# http.sh WORKDIR REQUESTS SECONDS CONNECTIONS FILE_BYTES: nginx (one
# process, no access log) serving one generated file on a free loopback port;
# wrk with one thread, latency distribution on, until it has sent REQUESTS
# requests (at most SECONDS, wrk's -d).
#
# wrk only runs for whole seconds (-d), and its shortest, 1 s, was most of
# this scenario's cost. count.lua gives it a request count: its request()
# hands wrk the same pre-built request every time (as wrk's own static path
# does) and, at the count, stops the thread's loop and sends wrk SIGINT,
# which wakes wrk's main thread from its -d sleep; wrk then reports as
# usual, requests/s over the time it really ran. done() says whether the
# count stopped the run, so a lost signal (a run that sat out its -d
# although the count stopped it, whose rate would be wrong) is caught.
. "${0%/*}/common.sh"
N=$2 S=$3 C=$4 B=$5
mkdir -p www tmp || fail "cannot create $W/www"
"$P" gen www/index.html "$B" || fail "cannot write www/index.html"
PORT=$("$P" port) || fail "no free loopback port"
cat > nginx.conf <<CONF
user root root;
daemon off;
master_process off;
worker_processes 1;
pid $W/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/tmp/body;
  proxy_temp_path $W/tmp/proxy;
  fastcgi_temp_path $W/tmp/fastcgi;
  uwsgi_temp_path $W/tmp/uwsgi;
  scgi_temp_path $W/tmp/scgi;
  default_type text/html;
  server { listen 127.0.0.1:$PORT; root $W/www; }
}
CONF
cat > count.lua <<'LUA'
local ffi = require("ffi")
ffi.cdef("int getpid(void); int kill(int pid, int sig);")
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
function init(args)
  limit = tonumber(args[1])
  sent = 0
  stopped = 0
  req = wrk.format()
end
function request()
  sent = sent + 1
  if sent == limit then
    stopped = 1
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2)
  end
  return req
end
function done(summary)
  local s = 0
  for _, t in ipairs(threads) do s = s + t:get("stopped") end
  io.write(string.format("isobench.result stopped_by_count=%d 1\n", s))
end
LUA
"$ROOT/usr/sbin/nginx" -e "$W/error.log" -p "$W/" -c "$W/nginx.conf" &
SERVER=$!
"$P" waitport "$PORT" 120000 || { cat "$W/error.log" >&2; finish 1; }
rc=0
"$ROOT/usr/bin/wrk" -t 1 -c "$C" -d "${S}s" --latency -s "$W/count.lua" "http://127.0.0.1:$PORT/index.html" -- "$N" || rc=$?
[ -s "$W/error.log" ] && cat "$W/error.log" >&2
finish $rc
