#!/usr/bin/env bash
# Load benchmark of the respondent pages with wrk, on the release binary with the per-address
# submission limit lifted. Run by hand (not in CI):
#
#   cargo build --release --bin yardstick
#   benches/load.sh                 # SQLite and PostgreSQL
#   benches/load.sh sqlite          # one of them
#
# Environment: CONNECTIONS (64), DURATION (seconds per run, 20), SESSIONS (in-progress responses replayed, 400).
#
# What is measured: page POSTs per second and their p99 latency (wrk posts a valid page of six
# answers for pre-started responses, round-robin; each POST is a committed transaction and a
# 303), and GETs per second of a question page. A complete 25-item response is
# POSTS_PER_RESPONSE = 8 page POSTs (start, brand, five pages of at most six items, about you),
# so responses/s = page POSTs/s ÷ 8; with the nine GETs a browser also makes,
# responses/s = 1 ÷ (8 ÷ POSTs/s + 9 ÷ GETs/s).
set -euo pipefail

cd "$(dirname "$0")/.."
bin="${BIN:-target/release/yardstick}"
[ -x "$bin" ] || { echo "build first: cargo build --release --bin yardstick" >&2; exit 2; }
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
connections="${CONNECTIONS:-64}"
seconds="${DURATION:-20}"
sessions="${SESSIONS:-400}"
posts_per_response=8
gets_per_response=9
work="$(mktemp -d /tmp/yardstick-load.XXXXXX)"
server=""
pg_db=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    [ -n "$pg_db" ] && psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
}
trap cleanup EXIT

bench() {
    local backend=$1
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    local base="http://127.0.0.1:$port"
    if [ "$backend" = sqlite ]; then
        export YARDSTICK_DATABASE_URL="sqlite://$work/load.db?mode=rwc"
    else
        pg_db="yardstick_load_$$"
        psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $pg_db"
        export YARDSTICK_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$pg_db"
    fi
    YARDSTICK_PORT=$port YARDSTICK_SUBMISSIONS_PER_SECOND=0 RUST_LOG=warn \
        "$bin" serve --demo >"$work/server-$backend.log" 2>&1 &
    server=$!
    for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/s/demo" && break; sleep 0.2; done
    python3 benches/prepare_load.py "$base" demo "$sessions" "$work/sessions-$backend.tsv"

    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benches/post_page.lua "$base" \
        -- "$work/sessions-$backend.tsv" >"$work/post-$backend.txt"
    local cookie path
    path=$(head -1 "$work/sessions-$backend.tsv" | cut -f1)
    cookie=$(head -1 "$work/sessions-$backend.tsv" | cut -f2)
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$path" \
        >"$work/get-$backend.txt"
    kill "$server"; wait "$server" 2>/dev/null || true; server=""

    local posts p99 refused gets get_p99
    posts=$(awk '/^Requests\/sec/ {print $2}' "$work/post-$backend.txt")
    p99=$(awk '/^p99_ms/ {print $2}' "$work/post-$backend.txt")
    refused=$(awk '/^not 303/ {print $3}' "$work/post-$backend.txt")
    gets=$(awk '/^Requests\/sec/ {print $2}' "$work/get-$backend.txt")
    get_p99=$(awk '$1 == "99%" {print $2}' "$work/get-$backend.txt")
    python3 - "$backend" "$posts" "$p99" "$refused" "$gets" "$get_p99" "$posts_per_response" "$gets_per_response" <<'EOF'
import sys
backend, posts, p99, refused, gets, get_p99, ppr, gpr = sys.argv[1:]
posts, gets, ppr, gpr = float(posts), float(gets), int(ppr), int(gpr)
print(f"| {backend} | {posts:,.0f} | {p99} ms | {posts / ppr:,.0f} | "
      f"{1 / (ppr / posts + gpr / gets):,.0f} | {gets:,.0f} | {get_p99} | {refused} |")
if refused != "0":
    print(f"WARNING: {refused} POSTs on {backend} did not get the 303 success redirect; "
          "those figures do not count")
EOF
    if [ "$backend" = postgres ]; then
        psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null; pg_db=""
    fi
}

echo "wrk -t2 -c$connections -d${seconds}s on $(nproc) cores; raw output in $work"
echo "| database | page POSTs/s | POST p99 | 25-item responses/s (POSTs only, ÷ $posts_per_response) | responses/s with $gets_per_response GETs | question page GETs/s | GET p99 | POSTs not 303 |"
echo "|---|---|---|---|---|---|---|---|"
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
for backend in "${backends[@]}"; do
    bench "$backend"
done
