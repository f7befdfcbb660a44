#!/usr/bin/env bash
# Starts a PostgreSQL server for the test suite: Debian's packages (installed when missing), a cluster in
# the given folder (created on the first start, reused afterwards: `npm run cluster` keeps its data), trust
# auth on loopback only. A server already running on that folder is left as it is. Prints the DATABASE_URL.
# Usage: .ci/postgres.sh start <dir> <port> | .ci/postgres.sh stop <dir>
set -euo pipefail
action=$1 dir=$2 port=${3:-55432}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    bin=$(find_bin)
    if [ -z "$bin" ]; then
      echo "installing PostgreSQL from Debian packages" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    [ -f "$dir/data/PG_VERSION" ] || as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >/dev/null
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-off}" start >&2
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(find_bin)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
    ;;
esac
