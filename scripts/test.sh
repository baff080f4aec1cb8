#!/usr/bin/env bash
# Run the whole test suite (unit, then integration) and end with the line CI reads:
#   N passed, N failed[, N skipped]
# computed from the TRX files the runs wrote. A run that crashed, hung or wrote no results counts
# as a failure, never as "0 failed". Exit code: non-zero when anything failed or no test ran.
#
# Environment:
#   STASIS_TEST_NO_BUILD=1      use the existing Release build (`make test` sets it after set-up)
#   STASIS_TEST_RESULTS=DIR     where the TRX files go (default: TestResults/ in the repo)
#   STASIS_TEST_FILTER=EXPR     passed to `dotnet test --filter`
#   STASIS_TEST_HANG_TIMEOUT    one test's time limit in the integration run (default 5m)
#   STASIS_TEST_RUN_TIMEOUT     one project's whole run, in seconds (default 720)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULTS=${STASIS_TEST_RESULTS:-$REPO/TestResults}
HANG_TIMEOUT=${STASIS_TEST_HANG_TIMEOUT:-5m}
RUN_TIMEOUT=${STASIS_TEST_RUN_TIMEOUT:-720}

# name | project | extra dotnet test arguments
SUITES=(
  "unit|tests/Stasis.Tests/Stasis.Tests.csproj|"
  "integration|tests/Stasis.IntegrationTests/Stasis.IntegrationTests.csproj|--blame-hang-timeout $HANG_TIMEOUT --blame-hang-dump-type none"
)

log() { printf 'test: %s\n' "$*" >&2; }

command -v dotnet >/dev/null 2>&1 || { log "dotnet not found: run scripts/setup.sh first"; exit 1; }
cd "$REPO"

if [ "${STASIS_TEST_NO_BUILD:-0}" != 1 ]; then
  log "building Stasis.slnx (Release)"
  dotnet build Stasis.slnx -c Release -nologo -clp:ErrorsOnly -v:q >&2 || {
    echo "0 passed, 1 failed"
    exit 1
  }
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Each run gets its own session so that whatever it leaves behind (a hung test's process that the
# hang timeout orphaned) can be ended afterwards by its process-group id.
current_group=""
end_group() {
  if [ -n "$current_group" ]; then
    kill -KILL -- "-$current_group" 2>/dev/null || true
    current_group=""
  fi
}
trap 'end_group; exit 130' INT TERM

passed=0 failed=0 skipped=0
problems=()

attr() { # attr NAME TAG -> value of NAME="..." in TAG, or 0
  local v
  v=$(printf '%s' "$2" | grep -o "[[:space:]]$1=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
  echo "${v:-0}"
}

for suite in "${SUITES[@]}"; do
  IFS='|' read -r name project extra <<<"$suite"
  dir=$RESULTS/$name
  args=(test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx"
    --results-directory "$dir")
  [ -n "${STASIS_TEST_FILTER:-}" ] && args+=(--filter "$STASIS_TEST_FILTER")
  # shellcheck disable=SC2206
  [ -n "$extra" ] && args+=($extra)

  log "running $name tests ($project)"
  rc=0
  setsid timeout -k 30 "$RUN_TIMEOUT" dotnet "${args[@]}" </dev/null &
  current_group=$!
  wait "$current_group" || rc=$?
  end_group
  [ $rc = 124 ] && problems+=("$name: the run exceeded ${RUN_TIMEOUT}s and was stopped")

  mapfile -t trx_files < <(find "$dir" -name '*.trx' -type f 2>/dev/null | sort)
  if [ ${#trx_files[@]} = 0 ]; then
    failed=$((failed + 1))
    problems+=("$name: the run wrote no TRX results (exit code $rc): counted as 1 failure")
    continue
  fi
  s_pass=0 s_fail=0 s_skip=0 s_bad_outcome=0
  for trx in "${trx_files[@]}"; do
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1 || true)
    summary=$(grep -o '<ResultSummary [^>]*>' "$trx" | head -n1 || true)
    if [ -z "$counters" ]; then
      s_fail=$((s_fail + 1))
      problems+=("$name: $trx has no <Counters> element: counted as 1 failure")
      continue
    fi
    total=$(attr total "$counters")
    p=$(attr passed "$counters")
    f=$(($(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters")))
    # xunit's skipped tests are in `total` but neither executed nor counted as notExecuted.
    s=$((total - p - f))
    [ $s -lt 0 ] && s=0
    s_pass=$((s_pass + p)) s_fail=$((s_fail + f)) s_skip=$((s_skip + s))
    case $summary in
      *'outcome="Completed"'* | *'outcome="Passed"'* | *'outcome="Warning"'*) ;;
      *) s_bad_outcome=1 ;;
    esac
  done
  # A crash or a hang shows as a failed run whose counters may hold no failed test at all.
  if [ $s_fail = 0 ] && { [ $rc != 0 ] || [ $s_bad_outcome = 1 ]; }; then
    s_fail=1
    problems+=("$name: the test run failed (exit code $rc) without a failed test in its results (crash or hang?): counted as 1 failure")
  fi
  log "$name: $s_pass passed, $s_fail failed, $s_skip skipped"
  passed=$((passed + s_pass)) failed=$((failed + s_fail)) skipped=$((skipped + s_skip))
done

for p in "${problems[@]}"; do log "$p"; done
log "TRX results under $RESULTS"
if [ $((passed + failed)) = 0 ]; then
  log "no test ran"
fi

line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line+=", $skipped skipped"
echo "$line" | tee "$RESULTS/summary.txt"

[ $failed = 0 ] && [ $((passed + failed)) -gt 0 ]
