# Shared by test.sh and bench.sh: a real server on a free port with a throwaway database.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server BINARY DIR: starts BINARY on a free port with its SQLite file in DIR, and that
# address as its PUBLIC_ORIGIN (links in mail); sets SERVER_PID and BASE_URL.
start_server() {
    local bin=$1 dir=$2 port
    port=$(free_port)
    BIND=127.0.0.1:$port PUBLIC_ORIGIN=http://127.0.0.1:$port DATABASE_URL="sqlite://$dir/server.sqlite" \
        "$bin" > "$dir/server.out" 2> "$dir/server.err" &
    SERVER_PID=$!
    BASE_URL=http://127.0.0.1:$port
    for _ in $(seq 1 300); do # until the server says it listens there (at most 30 s)
        # The log line, or (RUST_LOG=warn, as `make bench` runs it) the line for people.
        grep -q -e "listening on $BASE_URL" -e "configurator: $BASE_URL" "$dir/server.out" 2>/dev/null && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the server did not start:" >&2
    cat "$dir/server.err" >&2
    return 1
}

# stop_server: SIGTERM (graceful shutdown), then wait for it.
stop_server() {
    [ -n "${SERVER_PID:-}" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
