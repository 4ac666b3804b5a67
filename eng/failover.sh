#!/usr/bin/env bash
# Issue 14's failure tests, long run, and the scale-out throughput benchmark: the same harness as the
# short run in ./build.sh (tests/Kiln.Failover.Tests), with real PostgreSQL 15 and RabbitMQ on loopback
# and every kiln role in its own `kiln serve --roles …` process. NOT run by ./build.sh.
#
#   eng/failover.sh                         # every fault in turn: volume node, API node, scheduler, broker, database
#   eng/failover.sh --faults volume-node,broker --clients 8
#   eng/failover.sh --topology colocated    # schedulers inside the volume processes (4 processes instead of 6)
#   eng/failover.sh --bench                 # throughput at 8 and 32 clients with one and two API nodes (Release build)
#
# Prints the report: per fault the time to detect it, to serve a new volume again and to have the killed
# part back; requests sent / acknowledged / ended as asked; every violation. Exits non-zero on a violation.
# KILN_FAILOVER_KEEP=1 keeps the run directory (kept anyway on failure). Needs postgresql-15 and
# rabbitmq-server (eng/install-test-deps.sh); run as root or as a user that may run PostgreSQL's initdb.
set -euo pipefail
cd "$(dirname "$0")/.."

faults=all clients="" topology="" mode=failover configuration=Debug build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --faults) faults=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --topology) topology=$2; shift 2 ;;
    --bench) mode=bench; configuration=Release; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "failover.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$build" = 1 ]; then
  dotnet build tests/Kiln.Failover.Tests -c "$configuration" -nologo -v q -clp:NoSummary
fi

report=$(mktemp /tmp/kiln-failover-report.XXXXXX)
trap 'rm -f "$report"' EXIT
status=0
KILN_FAILOVER_MODE=$mode KILN_FAILOVER_FAULTS=$faults KILN_FAILOVER_CLIENTS=$clients KILN_FAILOVER_TOPOLOGY=$topology \
  KILN_FAILOVER_REPORT=$report \
  dotnet test --project tests/Kiln.Failover.Tests -c "$configuration" --no-build -- --filter-method "*Failover_EachFaultInTurn*" >&2 || status=$?
if [ -s "$report" ]; then
  cat "$report"
else
  echo "failover: the run wrote no report (test host exit $status); see the output above" >&2
fi
exit "$status"
