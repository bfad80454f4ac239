# sqlite.sh WORKDIR TRANSACTIONS ROWS QUERIES: a database file in the
# environment's writable layer. TRANSACTIONS x ROWS single-row INSERTs
# (one COMMIT, hence durable writes, per transaction), then QUERIES lookups
# through an index. The SQL is generated before the timers start.
. "${0%/*}/common.sh"
T=$2 R=$3 Q=$4
"$ROOT/bin/busybox" awk -v t="$T" -v r="$R" 'BEGIN {
  print "CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER NOT NULL, pad TEXT NOT NULL);"
  print "CREATE INDEX kv_k ON kv(k);"
  n = 0
  for (i = 0; i < t; i++) {
    print "BEGIN;"
    for (j = 0; j < r; j++) { n++; printf "INSERT INTO kv(k, v, pad) VALUES(\x27key%08d\x27, %d, \x27%s\x27);\n", (n * 7919) % 1000003, n, "isobench-row-padding-isobench-row-padding-isobench-row-padding" }
    print "COMMIT;"
  }
}' > insert.sql || fail "cannot write insert.sql"
"$ROOT/bin/busybox" awk -v q="$Q" -v n="$((T * R))" 'BEGIN {
  for (i = 1; i <= q; i++) {
    m = (i * 104729) % n + 1
    if (i % 4 == 0) printf "SELECT count(*), sum(v) FROM kv WHERE k BETWEEN \x27key%08d\x27 AND \x27key%08d\x27;\n", (m * 7919) % 1000003, (m * 7919) % 1000003 + 5000
    else printf "SELECT v FROM kv WHERE k = \x27key%08d\x27;\n", (m * 7919) % 1000003
  }
}' > query.sql || fail "cannot write query.sql"
scratch_in_ram
rc=0
"$P" time -n insert -u "$((T * R))" -o /dev/null -- "$ROOT/usr/bin/sqlite3" -bail db.sqlite ".read insert.sql" || rc=$?
[ $rc = 0 ] && { "$P" time -n query -u "$Q" -o /dev/null -- "$ROOT/usr/bin/sqlite3" -bail db.sqlite ".read query.sql" || rc=$?; }
[ $rc = 0 ] && { echo "isobench.result rows=$("$ROOT/usr/bin/sqlite3" db.sqlite 'SELECT count(*) FROM kv') 1" || rc=$?; }
finish $rc
