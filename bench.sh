#!/usr/bin/env bash
# Builds Kiln in Release and runs the benchmarks against the real `kiln serve`.
#   ./bench.sh            full run: writes the tables into docs/benchmarks.md and the raw results to docs/benchmarks.json
#   ./bench.sh --quick    quick run (< 60 s): writes artifacts/bench-quick/benchmarks.{md,json}
# Any other argument goes to kiln-bench (for example --scenario throughput --driver file
# --driver-option file_volumes_dir={tmp}/volumes); ./bench.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build bench/Kiln.Benchmarks/Kiln.Benchmarks.csproj -c Release -warnaserror -nologo -clp:NoSummary -v:q

# The service is measured as it is deployed: published in Release with ReadyToRun code, so start-up
# does not JIT-compile Kiln, ASP.NET Core and EF Core (docs/benchmarks.md, "startup"). --kiln overrides.
kiln=()
case " $* " in
  *" --kiln "*) ;;
  *)
    rid="linux-$(dotnet --info | sed -n 's/^ *Architecture: *//p' | head -1)"
    dotnet publish src/Kiln/Kiln.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
      -warnaserror -nologo -clp:NoSummary -v:q -o artifacts/kiln-publish
    kiln=(--kiln "$PWD/artifacts/kiln-publish/kiln.dll")
    ;;
esac
exec dotnet bench/Kiln.Benchmarks/bin/Release/net10.0/kiln-bench.dll "${kiln[@]}" "$@"
