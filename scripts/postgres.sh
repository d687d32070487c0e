#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from Debian's packages, for the server tests' second pass.
#   postgres.sh start DIR   -> initdb in DIR, start on a free local port, print the admin URL
#   postgres.sh stop DIR    -> stop it
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found (package postgresql)" >&2; exit 1; }
# The server refuses to run as root: run it as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
    start)
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres "$dir"
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres > "$dir/initdb.log" 2>&1
        as_pg "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" -l "$dir/server.log" -w start > /dev/null
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        ;;
    stop)
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || true
        ;;
esac
