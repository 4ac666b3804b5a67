#!/usr/bin/env bash
# Builds Kiln and runs every test project. Ends with one line "N passed, N failed, N skipped"
# summed over all test projects, and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

./eng/install-test-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Debug}
results="$PWD/artifacts/test-results"
rm -rf "$results"

dotnet build Kiln.slnx -c "$configuration" -warnaserror -nologo -clp:NoSummary

status=0

# Tempest's volume API tests against Kiln behind a real Keystone: every test listed in
# eng/conformance/expected-pass.txt must pass (each counts as one test in the summary below).
# KILN_SKIP_CONFORMANCE=1 leaves it out of a local run; CI always runs it.
# It runs beside the .NET test projects, on the Kiln just built (no Release build of its own): most
# of its ~6 minutes is Keystone and Tempest's Python waiting on each other, and everything it starts
# (Keystone, Kiln) listens on free loopback ports of its own in a directory of its own, as the
# tests' servers do. Its output is shown when it ends; setsid gives it a process group of its own,
# stopped with it if this script is interrupted.
gate_pid=""
if [ "${KILN_SKIP_CONFORMANCE:-0}" != 1 ]; then
  mkdir -p "$results/conformance"
  setsid -w ./eng/conformance-gate.sh --kiln-dll "$PWD/src/Kiln/bin/$configuration/net10.0/kiln.dll" "$results/conformance" \
    >"$results/conformance-gate.log" 2>&1 &
  gate_pid=$!
  trap 'if [ -n "$gate_pid" ]; then kill -TERM -- "-$gate_pid" 2>/dev/null || true; fi' EXIT
  echo "conformance gate: running beside the test projects (log: $results/conformance-gate.log)"
fi

# One run per test project, each with its own results folder: TRX file names from parallel runs
# can collide, and a lost file would silently drop tests from the count.
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test --project "$project" -c "$configuration" --no-build \
    --results-directory "$results/$name" --report-xunit-trx "$@" || status=$?
done

if [ -n "$gate_pid" ]; then
  wait "$gate_pid" || status=$?
  gate_pid=""
  cat "$results/conformance-gate.log"
fi

# Sum the TRX counters of every test project (xunit's TRX: notExecuted = skipped).
summary=$(cat "$results"/*/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  function attr(name,   m) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
  { passed += attr("passed"); failed += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); skipped += attr("notExecuted") }
  END { printf "%d passed, %d failed, %d skipped", passed, failed, skipped }')
summary=${summary:-0 passed, 0 failed, 0 skipped}
failed=$(printf '%s' "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status (a test host crashed or a project ran no tests); counting it as a failure" >&2
  summary=$(printf '%s' "$summary" | sed -E 's/ 0 failed/ 1 failed/')
fi
echo "$summary"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
