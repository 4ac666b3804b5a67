#!/usr/bin/env bash
# The Tempest conformance run as a regression gate for ./build.sh.
#
#   eng/conformance-gate.sh [--update] [--kiln-dll PATH] [RESULTS_DIR]
#
# Runs eng/conformance.sh (Keystone on loopback, Kiln with auth_strategy = keystone, Tempest's volume
# API tests and cinder-tempest-plugin's) without rewriting docs/conformance.md, then checks that
# every test listed in eng/conformance/expected-pass.txt passed. Each listed test counts as one test
# in ./build.sh's summary line: RESULTS_DIR (default artifacts/test-results/conformance) gets a TRX
# file with the counters build.sh sums. A test that passes but is not listed is reported, not
# failed: add it to the list (eng/conformance-gate.sh --update rewrites the list from the last run).
#
# Why the whole run rather than a few tests: one response that breaks a Tempest schema in a class's
# setUpClass fails the whole class, so only the full run shows what a strict client sees. It takes
# about 6 minutes on the 2-core CI machine (Keystone ~25 s, Kiln's Release build, Tempest ~4 min).
# --kiln-dll PATH runs that kiln.dll instead of a Release build of its own (eng/conformance.sh
# --kiln-dll): ./build.sh passes the Debug build it has just made and runs the gate beside the .NET
# test projects.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
expected="$root/eng/conformance/expected-pass.txt"
update=false
conformance_args=(--no-docs)
while [ "$#" -gt 0 ]; do
  case "$1" in
    --update) update=true ;;
    --kiln-dll)
      [ "$#" -ge 2 ] || { echo "--kiln-dll needs a value" >&2; exit 2; }
      conformance_args+=(--kiln-dll "$2")
      shift
      ;;
    *) break ;;
  esac
  shift
done
out="${1:-$root/artifacts/test-results/conformance}"
mkdir -p "$out"

log="$out/conformance-run.log"
echo "conformance gate: running eng/conformance.sh (log: $log)"
run_status=0
bash "$root/eng/conformance.sh" "${conformance_args[@]}" >"$log" 2>&1 || run_status=$?
tail -1 "$log"
dir="$(sed -n 's/^conformance: working in //p' "$log" | head -1)"
results="$dir/results/results.tsv"
if [ ! -f "$results" ]; then
  echo "conformance gate: eng/conformance.sh exited $run_status without results; last lines of its log:" >&2
  tail -20 "$log" >&2
  passed=0
  failed=$(grep -cv '^\s*\(#\|$\)' "$expected" || true)
else
  # The run's per-test results: id, result, reason (tab-separated, a header line first).
  passed_now="$out/passed.txt"
  awk -F'\t' 'NR > 1 && $2 == "passed" { print $1 }' "$results" | sort -u >"$passed_now"
  if [ "$update" = true ]; then
    { echo "# Tempest tests that pass against Kiln; eng/conformance-gate.sh fails when one of them does not."
      echo "# Regenerate with: eng/conformance-gate.sh --update (after a run whose results you have checked)."
      cat "$passed_now"; } >"$expected"
    echo "conformance gate: wrote $(wc -l <"$passed_now") tests to $expected"
  fi
  grep -v '^\s*\(#\|$\)' "$expected" | sort -u >"$out/expected.txt"
  missing="$out/missing.txt"
  comm -23 "$out/expected.txt" "$passed_now" >"$missing"
  comm -13 "$out/expected.txt" "$passed_now" >"$out/new.txt"
  failed=$(wc -l <"$missing")
  passed=$(( $(wc -l <"$out/expected.txt") - failed ))
  while IFS= read -r test; do
    reason="$(awk -F'\t' -v t="$test" '$1 == t { print $2 ": " $3 }' "$results" | head -1)"
    echo "conformance gate: FAILED $test — ${reason:-not run}" >&2
  done <"$missing"
  if [ -s "$out/new.txt" ]; then
    echo "conformance gate: $(wc -l <"$out/new.txt") test(s) pass that eng/conformance/expected-pass.txt does not list (see $out/new.txt)"
  fi
fi

# A TRX file of counters, the format build.sh sums for the .NET test projects.
cat >"$out/conformance.trx" <<TRX
<?xml version="1.0" encoding="UTF-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010" name="tempest-conformance">
  <ResultSummary outcome="$([ "$failed" -eq 0 ] && echo Completed || echo Failed)">
    <Counters total="$((passed + failed))" executed="$((passed + failed))" passed="$passed" failed="$failed" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
  </ResultSummary>
</TestRun>
TRX
echo "conformance gate: $passed passed, $failed failed of the listed Tempest tests"
[ "$failed" -eq 0 ]
