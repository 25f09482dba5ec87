#!/usr/bin/env bash
# Crash test: respondents complete the demo survey under load, the server is killed with SIGKILL
# mid-load and restarted, and every page and completion that got a success answer (303) must be
# in the database. Run by hand (not in CI):
#
#   cargo build --release --bin yardstick
#   benches/crash-test.sh            # SQLite (fresh file database)
#   benches/crash-test.sh postgres   # PostgreSQL at 127.0.0.1:5432 (fresh database)
#
# Environment: WORKERS (concurrent respondents, 16), KILL_AFTER (seconds of load, 8).
set -euo pipefail

cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
workers="${WORKERS:-16}"
kill_after="${KILL_AFTER:-8}"
bin="${BIN:-target/release/yardstick}"
[ -x "$bin" ] || { echo "build first: cargo build --release --bin yardstick" >&2; exit 2; }

work="$(mktemp -d /tmp/yardstick-crash.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    if [ "$backend" = postgres ]; then
        psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

case "$backend" in
sqlite)
    if ! command -v sqlite3 >/dev/null; then
        apt-get install -y sqlite3 >/dev/null || { apt-get update >/dev/null && apt-get install -y sqlite3 >/dev/null; }
    fi
    export YARDSTICK_DATABASE_URL="sqlite://$work/crash.db?mode=rwc"
    ;;
postgres)
    pg_db="yardstick_crash_$$"
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $pg_db"
    export YARDSTICK_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$pg_db"
    ;;
*) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;;
esac
export YARDSTICK_PORT="$port"
# One address plays many respondents here: lift the per-address submission limit.
export YARDSTICK_SUBMISSIONS_PER_SECOND=0
export RUST_LOG=warn

wait_ready() {
    for _ in $(seq 1 300); do
        curl -fs -o /dev/null "$base/s/demo" && return 0
        sleep 0.2
    done
    echo "FAIL: the server did not come up (log: $work/server.log)"
    exit 1
}

echo "crash test on $backend: $workers respondents, SIGKILL after ${kill_after}s (work dir $work)"
"$bin" serve --demo >>"$work/server.log" 2>&1 &
server=$!
wait_ready

python3 benches/respondents.py "$base" demo "$workers" 600 "$work/acks.jsonl" 2>"$work/clients.log" &
clients=$!
sleep "$kill_after"
kill -KILL "$server"
wait "$server" 2>/dev/null || true
server=""
echo "server killed with SIGKILL"
if ! wait "$clients"; then
    echo "FAIL: a respondent was refused before the kill:"
    cat "$work/clients.log"
    exit 1
fi

"$bin" serve >>"$work/server.log" 2>&1 &
server=$!
wait_ready
echo "server restarted"
# The restarted server takes respondents again.
python3 benches/respondents.py "$base" demo 1 0.1 "$work/after.jsonl"
grep -q '"complete"' "$work/after.jsonl" || { echo "FAIL: a respondent could not finish after the restart"; exit 1; }
kill "$server"
wait "$server" 2>/dev/null || true
server=""

dump="SELECT r.resume_token_hash, r.status, r.comment, COALESCE(b.code, ''), COALESCE(i.code, ''), a.value
FROM responses r
LEFT JOIN brands b ON b.id = r.brand_id
LEFT JOIN answers a ON a.response_id = r.id
LEFT JOIN indicators i ON i.id = a.indicator_id
WHERE r.resume_token_hash IS NOT NULL"
if [ "$backend" = sqlite ]; then
    sqlite3 -csv "$work/crash.db" "$dump" >"$work/dump.csv"
else
    psql -h 127.0.0.1 -U postgres -d "$pg_db" -qc "\\copy ($dump) TO '$work/dump.csv' WITH CSV"
fi
if python3 benches/check_acks.py "$work/acks.jsonl" "$work/dump.csv"; then
    rm -rf "$work"
else
    echo "evidence kept in $work"
    exit 1
fi
