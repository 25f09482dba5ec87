#!/usr/bin/env bash
# Load benchmark of the respondent pages, on the release binary with the per-address submission
# limit lifted. Run by hand (not in CI):
#
#   cargo build --release --bin yardstick
#   benches/load.sh                 # SQLite and PostgreSQL
#   benches/load.sh sqlite          # one of them
#
# Environment: CONNECTIONS (64 respondents at once), DURATION (seconds per run, 20),
# SESSIONS (in-progress responses the page benchmark replays, 400).
#
# What is measured, on a 25-item questionnaire (benches/load-25.toml, published through the
# designer pages by publish_load_survey.py, with brand screening):
#   1. complete responses: benches/respondents.rs runs CONNECTIONS virtual respondents, each
#      completing the survey as a phone without JavaScript does — welcome page, start, every
#      page fetched and answered (brand, the pages of items, about you), thanks — the driver
#      prints how many requests a response took. Complete responses per second and the p99
#      latency of all those requests.
#   2. pages: wrk posts a valid page of answers for pre-started responses, round-robin (each POST a
#      committed write and a 303), then fetches one question page again and again.
set -euo pipefail

cd "$(dirname "$0")/.."
bin="${BIN:-target/release/yardstick}"
[ -x "$bin" ] || { echo "build first: cargo build --release --bin yardstick" >&2; exit 2; }
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
cargo bench --bench respondents --no-run 2>/dev/null
connections="${CONNECTIONS:-64}"
seconds="${DURATION:-20}"
sessions="${SESSIONS:-400}"
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
    YARDSTICK_PORT=$port YARDSTICK_SUBMISSIONS_PER_SECOND=0 \
        "$bin" serve --demo >"$work/server-$backend.log" 2>&1 &
    server=$!
    for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/s/demo" && break; sleep 0.2; done
    python3 benches/publish_load_survey.py "$base" load25 >/dev/null

    cargo bench --bench respondents -- "$base" load25 "$connections" "$seconds" \
        >"$work/respondents-$backend.txt" 2>/dev/null
    python3 benches/prepare_load.py "$base" load25 "$sessions" "$work/sessions-$backend.tsv"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benches/post_page.lua "$base" \
        -- "$work/sessions-$backend.tsv" >"$work/post-$backend.txt"
    local cookie path
    path=$(head -1 "$work/sessions-$backend.tsv" | cut -f1)
    cookie=$(head -1 "$work/sessions-$backend.tsv" | cut -f2)
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$path" \
        >"$work/get-$backend.txt"
    kill "$server"; wait "$server" 2>/dev/null || true; server=""

    local responses p99 posts post_p99 refused gets get_p99
    responses=$(awk '/^complete responses/ {print $3}' "$work/respondents-$backend.txt")
    p99=$(awk '/^latency all/ {print $7}' "$work/respondents-$backend.txt")
    posts=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$work/post-$backend.txt")
    post_p99=$(awk '/^p99_ms/ {print $2}' "$work/post-$backend.txt")
    refused=$(awk '/^not 303/ {print $3}' "$work/post-$backend.txt")
    gets=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$work/get-$backend.txt")
    get_p99=$(awk '$1 == "99%" {print $2}' "$work/get-$backend.txt")
    echo "| $backend | $responses | $p99 ms | $posts | $post_p99 ms | $gets | $get_p99 | $refused |"
    if [ "$refused" != "0" ]; then
        echo "WARNING: $refused page POSTs on $backend did not get the 303 success redirect"
    fi
    if [ "$backend" = postgres ]; then
        psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null; pg_db=""
    fi
}

echo "$connections respondents / connections, ${seconds}s a run, on $(nproc) cores; raw output in $work"
echo "| database | complete 25-item responses/s | p99 of their requests | page POSTs/s (wrk) | POST p99 | question page GETs/s (wrk) | GET p99 | POSTs not 303 |"
echo "|---|---|---|---|---|---|---|---|"
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
for backend in "${backends[@]}"; do
    bench "$backend"
done
