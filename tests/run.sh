#!/usr/bin/env bash
# Runs every test: unit and HTTP tests on SQLite, then the HTTP tests again on PostgreSQL.
# Needs PostgreSQL at 127.0.0.1:5432 with trust auth (override with YARDSTICK_TEST_PG_URL).
set -euo pipefail
cd "$(dirname "$0")/.."

export YARDSTICK_TEST_PG_URL=${YARDSTICK_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}
export YARDSTICK_TEST_RUN=${YARDSTICK_TEST_RUN:-r$(date +%s)$$}
pg_host_port=${YARDSTICK_TEST_PG_URL#*@}
pg_host=${pg_host_port%%:*}
pg_port=${pg_host_port##*:}; pg_port=${pg_port%%/*}

if ! (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; then
  echo "FATAL: PostgreSQL is not reachable at $pg_host:$pg_port ($YARDSTICK_TEST_PG_URL)." >&2
  echo "       The test suite runs every database test on PostgreSQL too; start it and retry." >&2
  exit 1
fi

# The browser tests (tests/browser) need Debian's Chromium and chromedriver and npm's axe-core.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Only what is missing is installed: a machine whose Node.js brings its own npm (NodeSource)
# cannot take Debian's npm package beside it.
missing=()
[ -x "${YARDSTICK_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x "${YARDSTICK_CHROMEDRIVER:-/usr/bin/chromedriver}" ] || missing+=(chromium-driver)
command -v npm >/dev/null || missing+=(npm)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -d /usr/share/fonts/truetype/wqy ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} for the browser tests =="
  if ! { as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; }; then
    echo "FATAL: could not install ${missing[*]} (needed by tests/browser)." >&2
    exit 1
  fi
fi
if [ -z "${YARDSTICK_AXE_JS:-}" ] && [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core for the browser tests =="
  if ! npm install --prefix tests/browser --no-save --no-audit --no-fund axe-core@4 || [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
    echo "FATAL: could not install axe-core from npm (needed by tests/browser)." >&2
    exit 1
  fi
fi

drop_run_databases() {
  command -v psql >/dev/null || return 0
  psql "$YARDSTICK_TEST_PG_URL/postgres" -Atqc \
    "SELECT datname FROM pg_database WHERE datname LIKE 'ys_test_${YARDSTICK_TEST_RUN}_%'" 2>/dev/null |
    while read -r db; do psql "$YARDSTICK_TEST_PG_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
  rm -rf "${TMPDIR:-/tmp}/yardstick-tests"
}
trap drop_run_databases EXIT

# The OpenAPI validator (PyPI's openapi-spec-validator) in a venv the API test calls.
venv=${YARDSTICK_TEST_VENV:-target/test-venv}
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "openapi-spec-validator>=0.7"
fi
export YARDSTICK_OPENAPI_VALIDATOR="$PWD/$venv/bin/openapi-spec-validator"

echo "== tests on SQLite =="
YARDSTICK_TEST_DATABASE=sqlite cargo test --workspace

echo "== HTTP and database tests on PostgreSQL =="
YARDSTICK_TEST_DATABASE=postgres cargo test --test api

echo "All tests passed on SQLite and PostgreSQL."
