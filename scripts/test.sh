#!/usr/bin/env bash
# Everything: build, unit tests, SQLite and PostgreSQL tests, OpenAPI validation, format check.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/ensure-packages.sh test
scripts/pg.sh start
trap 'scripts/pg.sh stop' EXIT
export TEST_DATABASE_URL="$(scripts/pg.sh url)"
echo "==> swift build --build-tests (a clean build takes several minutes)"
swift build --build-tests 2>&1 | grep -E "error:|Build complete|Compiling (Domain|Storage|Services|Web|motcua)" | sed -E 's/^\[[0-9]+\/[0-9]+\] //' | sort -u | tail -20
swift build --build-tests >/dev/null
echo "==> swift test (SQLite, and PostgreSQL at $TEST_DATABASE_URL)"
set +e
swift test --skip-build > .build/test.log 2>&1
status=$?
set -e
grep -E "✘|recorded an issue|error:" .build/test.log | head -60 || true
tail -4 .build/test.log
if [ "$status" -ne 0 ]; then
  echo "==> tests FAILED (exit $status; full log: .build/test.log)"; exit "$status"
fi
echo "==> OpenAPI document"
python3 scripts/check_openapi.py
echo "==> all tests passed in $(( $(date +%s) - start )) s"
