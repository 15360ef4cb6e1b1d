#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: nothing of the system's own PostgreSQL service is used.
#
#   scripts/test-postgres.sh start   initdb into a fresh temporary directory, start the server on 127.0.0.1 on a
#                                    free port (fsync on: the tests check durability), print its URL
#   scripts/test-postgres.sh url     print the URL of the running cluster
#   scripts/test-postgres.sh stop    stop the server and delete its directory
#   scripts/test-postgres.sh halt    stop the server but keep the cluster (a test of the database going away)
#   scripts/test-postgres.sh resume  start a halted server again on the same port
#   scripts/test-postgres.sh sweep   stop and delete the clusters of test runs that died without stopping theirs
#
# The URL (postgres://postgres@127.0.0.1:PORT/postgres, `trust` authentication on loopback only) is kept in a
# state file, $WEIQUAN_TEST_POSTGRES_STATE or .build/test-postgres.url, next to the cluster's directory.
# PostgreSQL refuses to run as root, so when run as root the server runs as the `postgres` OS user.
# If the server binaries are missing, the Debian `postgresql` package is installed (the service is not started).
#
# A run that dies (a crash, a kill -9) leaves its cluster running. With $WEIQUAN_TEST_POSTGRES_OWNER set to the
# process id of what the cluster serves (scripts/test.sh sets its own), `start` writes it beside the cluster, and
# `sweep` (which scripts/test.sh runs first) stops and deletes every cluster in ${TMPDIR:-/tmp} whose owner is gone.
# A cluster without an owner, or whose owner lives (another worktree's run going on), is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE="${WEIQUAN_TEST_POSTGRES_STATE:-$PWD/.build/test-postgres.url}"
DIRECTORY_STATE="$STATE.directory"

die() {
    echo "test-postgres: $*" >&2
    exit 1
}

find_bin() {
    local candidate
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$candidate/initdb" ]; then
            echo "$candidate"
            return
        fi
    done
    return 1
}

install_server() {
    command -v apt-get >/dev/null 2>&1 || die "initdb not found and apt-get is not available: install PostgreSQL (15 or later)"
    echo "test-postgres: installing PostgreSQL (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
}

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Closes every file descriptor above 2 of this shell: the server is a daemon, and must not keep open what the
# caller gave the script (a process monitor's socket, a pipe whose end the caller waits for).
close_inherited_descriptors() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd="${fd##*/}"
        if [ "$fd" -gt 2 ] 2>/dev/null; then
            eval "exec $fd>&-" 2>/dev/null || true
        fi
    done
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    if [ -f "$STATE" ] && [ -f "$DIRECTORY_STATE" ] && [ -d "$(cat "$DIRECTORY_STATE")" ]; then
        die "a cluster is already running ($(cat "$STATE")); run '$0 stop' first"
    fi
    local bin
    bin="$(find_bin)" || { install_server; bin="$(find_bin)" || die "initdb still not found after installing postgresql"; }
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' OS user (the postgresql package creates it)"
    fi

    local directory port
    directory="$(mktemp -d "${TMPDIR:-/tmp}/weiquan-test-postgres.XXXXXX")"
    chmod 755 "$directory"
    mkdir "$directory/data" "$directory/socket"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$directory/data" "$directory/socket"
    fi
    mkdir -p "$(dirname "$STATE")"
    echo "$directory" >"$DIRECTORY_STATE"
    # Who the cluster is for, and where its state is: what `sweep` needs should the owner die.
    echo "$STATE" >"$directory/state"
    if [[ "${WEIQUAN_TEST_POSTGRES_OWNER:-}" =~ ^[1-9][0-9]*$ ]]; then
        echo "$WEIQUAN_TEST_POSTGRES_OWNER" >"$directory/owner"
    fi

    as_owner "$bin/initdb" --no-sync --pgdata="$directory/data" --username=postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$directory/initdb.log" 2>&1 || {
        cat "$directory/initdb.log" >&2
        die "initdb failed"
    }
    cat >>"$directory/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$directory/socket'
max_connections = 300
fsync = on
synchronous_commit = on
logging_collector = off
EOF
    # Loopback only, no password: the cluster lives as long as the test run and holds nothing else.
    cat >"$directory/data/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF

    # A port can be taken between choosing it and binding it: try a few.
    local attempt
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if (
            close_inherited_descriptors
            as_owner "$bin/pg_ctl" --pgdata="$directory/data" --log="$directory/data/server.log" \
                --options="-p $port" --wait --timeout=60 start >/dev/null
        ); then
            echo "postgres://postgres@127.0.0.1:$port/postgres" >"$STATE"
            cat "$STATE"
            return
        fi
        tail -n 5 "$directory/data/server.log" >&2 || true
    done
    die "the server did not start (see $directory/data/server.log)"
}

stop() {
    [ -f "$DIRECTORY_STATE" ] || return 0
    local directory bin
    directory="$(cat "$DIRECTORY_STATE")"
    if [ -d "$directory/data" ] && bin="$(find_bin)"; then
        as_owner "$bin/pg_ctl" --pgdata="$directory/data" --mode=fast --wait stop >/dev/null 2>&1 || true
    fi
    case "$directory" in
    */weiquan-test-postgres.*) rm -rf "$directory" ;;
    esac
    rm -f "$STATE" "$DIRECTORY_STATE"
}

# Whether process $1 exists (one of another user's counts: kill -0 is refused, /proc has it).
process_exists() {
    kill -0 "$1" 2>/dev/null || [ -d "/proc/$1" ]
}

# Stops and deletes the clusters whose owner has died; prints one line a cluster to stderr.
sweep() {
    local directory owner bin state
    bin="$(find_bin)" || bin=""
    for directory in "${TMPDIR:-/tmp}"/weiquan-test-postgres.*; do
        [ -d "$directory" ] && [ -f "$directory/owner" ] || continue
        owner="$(cat "$directory/owner")"
        [[ "$owner" =~ ^[1-9][0-9]*$ ]] || continue
        process_exists "$owner" && continue
        if [ -n "$bin" ] && [ -f "$directory/data/postmaster.pid" ]; then
            as_owner "$bin/pg_ctl" --pgdata="$directory/data" --mode=immediate --wait stop >/dev/null 2>&1 || true
        fi
        if [ -f "$directory/state" ]; then
            state="$(cat "$directory/state")"
            # The state files only if they still name this cluster (a later start may have reused the path).
            if [ "$(cat "$state.directory" 2>/dev/null)" = "$directory" ]; then
                rm -f "$state" "$state.directory"
            fi
        fi
        rm -rf "$directory"
        echo "test-postgres: swept $directory (its test run, process $owner, is gone)" >&2
    done
}

# The cluster's directory and server binaries, for halt and resume.
running_cluster() {
    [ -f "$STATE" ] && [ -f "$DIRECTORY_STATE" ] || die "no cluster is running; run '$0 start'"
    directory="$(cat "$DIRECTORY_STATE")"
    bin="$(find_bin)" || die "initdb not found"
}

halt() {
    local directory bin
    running_cluster
    as_owner "$bin/pg_ctl" --pgdata="$directory/data" --mode=fast --wait stop >/dev/null
}

resume() {
    local directory bin port
    running_cluster
    port="$(sed -E 's|.*:([0-9]+)/.*|\1|' "$STATE")"
    (
        close_inherited_descriptors
        as_owner "$bin/pg_ctl" --pgdata="$directory/data" --log="$directory/data/server.log" \
            --options="-p $port" --wait --timeout=60 start >/dev/null
    )
}

url() {
    [ -f "$STATE" ] || die "no cluster is running; run '$0 start'"
    cat "$STATE"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) url ;;
halt) halt ;;
resume) resume ;;
sweep) sweep ;;
*) die "usage: $0 start|stop|url|halt|resume|sweep" ;;
esac
