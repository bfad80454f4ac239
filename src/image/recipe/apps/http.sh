# http.sh WORKDIR SECONDS CONNECTIONS FILE_BYTES: nginx (one process, no
# access log) serving one generated file on a free loopback port; wrk with
# one thread for SECONDS, latency distribution on.
. "${0%/*}/common.sh"
S=$2 C=$3 B=$4
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
"$ROOT/usr/sbin/nginx" -e "$W/error.log" -p "$W/" -c "$W/nginx.conf" &
SERVER=$!
"$P" waitport "$PORT" 120000 || { cat "$W/error.log" >&2; finish 1; }
rc=0
"$ROOT/usr/bin/wrk" -t 1 -c "$C" -d "${S}s" --latency "http://127.0.0.1:$PORT/index.html" || rc=$?
[ -s "$W/error.log" ] && cat "$W/error.log" >&2
finish $rc
