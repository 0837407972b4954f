#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: `start DIR` creates it in DIR (initdb, listening
# on 127.0.0.1 and a socket inside DIR only, trust authentication) and prints the test URL;
# `stop DIR` stops it and deletes DIR. Needs Debian's `postgresql` package (initdb, pg_ctl).
# As root (CI), the cluster runs as the `postgres` user: PostgreSQL refuses to run as root.
#   eval "$(bash build/pg-test-cluster.sh start /tmp/htx-pg)"   # exports HTX_TEST_PG_URL
#   bash build/pg-test-cluster.sh stop /tmp/htx-pg
set -euo pipefail
action="${1:-}"
dir="${2:-/tmp/htx-pg-test}"
port="${HTX_TEST_PG_PORT:-54329}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$bindir" ] && command -v pg_ctl >/dev/null; then bindir="$(dirname "$(command -v pg_ctl)")"; fi
if [ -z "$bindir" ]; then echo "pg-test-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres: "$dir"
        as_owner "$bindir/initdb" -D "$dir/data" -U htx --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
        # Tests only: no durability needed, and a small server for a shared 2-core machine.
        cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null \
            || { cat "$dir/server.log" >&2; exit 1; }
    fi
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U htx -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='htx_test'" | grep -q 1 \
        || as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U htx htx_test
    echo "export HTX_TEST_PG_URL=postgresql+psycopg://htx@127.0.0.1:$port/htx_test"
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
