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
# Progress: each module once, as it starts compiling. The whole log is kept; on failure its errors
# are printed last, where a CI log's tail shows them (a sorted, cut summary once hid them). A
# failed build is tried once more on one job: two CI submissions failed at build, with their
# errors hidden, while the same commits built from fresh clones here; if a compiler process was
# killed or crashed, the second try says so and goes on; a real error fails both.
build() { # log, swift build arguments...
  local log=$1 status=0; shift
  swift build --build-tests "$@" 2>&1 | tee "$log" \
    | awk '/Compiling [A-Za-z]+ / { m = $0; sub(/^.*Compiling /, "", m); sub(/ .*/, "", m); if (!seen[m]++) { print "    compiling " m; fflush() } } /Build complete/ { print "    " $0; fflush() }' \
    || status=$?
  [ "$status" -eq 0 ] && grep -q "Build complete" "$log"
}
build_errors() { # log
  grep -E -B2 -A6 "error:|fatal error|Killed|Segmentation|signal|No space left" "$1" | tail -80
}
mkdir -p .build
if ! build .build/build.log; then
  echo "==> WARNING: the build failed; its errors (whole log: .build/build.log):"
  build_errors .build/build.log
  echo "==> building once more, one job at a time"
  cp .build/build.log .build/build-first.log
  build .build/build.log -j 1 || { echo "==> build FAILED twice; errors:"; build_errors .build/build.log; exit 1; }
fi
# The portal chaos run (2,000 dossiers, a hostile simulator, killed relays) saturates both cores for
# minutes; run alongside the rest, it starved time-sensitive tests (HTTP timeouts against in-process
# simulators), so it runs on its own after them.
CHAOS=PortalChaosTests
# Each phase has a time limit well above its normal length (a clean clone on 2 cores: suites ~4 min,
# chaos ~11 min), so a test that hangs fails the run with its name instead of eating CI's 90 minutes.
# A line of progress every minute; on a hang, the tests still running and the threads' stacks.
# A phase that hangs is run once more, saying so: a rare hang of the test process has been seen
# (every test reported, the run never ending); the names printed are what to investigate.
run_phase() { # name, log, minutes, swift test arguments...
  local name=$1 log=$2 minutes=$3; shift 3
  if ! run_phase_once "$name" "$log" "$minutes" "$@"; then
    echo "==> WARNING: $name hung (above); running it once more. Log of the hung run: $log.hung"
    mv "$log" "$log.hung"
    run_phase_once "$name" "$log" "$minutes" "$@" || { echo "==> tests FAILED in $name: it hung twice (logs: $log.hung, $log)"; exit 1; }
  fi
}
# Returns 1 on a hang; exits on a test failure.
run_phase_once() { # name, log, minutes, swift test arguments...
  local name=$1 log=$2 minutes=$3; shift 3
  echo "==> swift test: $name (SQLite, and PostgreSQL at $TEST_DATABASE_URL; limit $minutes min)"
  # Its own process group, so that on a hang the runner and every server a test started end
  # together; line-buffered, so the log shows what has finished even if the process never ends.
  setsid stdbuf -oL -eL swift test --skip-build "$@" > "$log" 2>&1 < /dev/null &
  local pid=$! t0=$(date +%s) status=0
  while ! wait_up_to 60 "$pid"; do
    local elapsed=$(( $(date +%s) - t0 ))
    echo "    $(( elapsed / 60 )) min: $(grep -cE '^✔ Test .* passed' "$log") tests passed, $(grep -cE '^✘ Test .* failed after' "$log") failed"
    if [ "$elapsed" -ge $(( minutes * 60 )) ]; then
      echo "==> $name did not finish within $minutes min. Tests started and never ended:"
      still_running "$log" | sed 's/^/    /'
      local runner
      runner=$(pgrep -g "$pid" -f 'PackageTests.xctest' | head -1 || true)
      if [ -n "$runner" ] && command -v gdb >/dev/null; then
        timeout 120 gdb -p "$runner" -batch -ex "thread apply all bt" > "$log.stacks" 2>&1 || true
        echo "    (threads' stacks: $log.stacks)"
      fi
      kill -TERM -- "-$pid" 2>/dev/null || true
      wait_up_to 30 "$pid" || kill -KILL -- "-$pid" 2>/dev/null || true
      return 1
    fi
  done
  wait "$pid" || status=$?
  grep -E "✘|recorded an issue|error:" "$log" | head -60 || true
  tail -3 "$log"
  if [ "$status" -ne 0 ]; then
    echo "==> tests FAILED in $name (exit $status; full log: $log)"; exit "$status"
  fi
}
# Waits for a process for at most N seconds; true when it has ended.
wait_up_to() { # seconds, pid
  local i
  for ((i = 0; i < $1; i++)); do kill -0 "$2" 2>/dev/null || return 0; sleep 1; done
  ! kill -0 "$2" 2>/dev/null
}
# Swift Testing prints "Test X started." and "Test X passed/failed after"; XCTest prints
# "Test Case 'X' started." and "Test Case 'X' passed/failed (N seconds)".
still_running() { # log
  local tests
  tests=$(grep -vE "^Test Suite |^[^ ]+ Test (case passing|run )" "$1")
  comm -23 \
    <(sed -nE "s/^([^ ]+ )?Test (Case )?(.*) started( at .*|\.)$/\3/p" <<<"$tests" | sort) \
    <(sed -nE "s/^([^ ]+ )?Test (Case )?(.*) (passed|failed) (after|\().*$/\3/p" <<<"$tests" | sed -E 's/ with [0-9]+ test cases?$//' | sort)
}
run_phase "all suites but the chaos run" .build/test.log 12 --skip "$CHAOS"
run_phase "portal chaos run" .build/test-chaos.log 25 --filter "$CHAOS"
echo "==> OpenAPI document"
python3 scripts/check_openapi.py
echo "==> API fuzzing (schemathesis against the OpenAPI document; no 5xx, no answer off the document)"
scripts/fuzz-api.sh > .build/fuzz.log 2>&1 || { tail -60 .build/fuzz.log; echo "==> API fuzzing FAILED (full log: .build/fuzz.log; reproduce: scripts/fuzz-api.sh)"; exit 1; }
grep -E "generated, .* passed|Seed:" .build/fuzz.log || true
echo "==> all tests passed in $(( $(date +%s) - start )) s"
