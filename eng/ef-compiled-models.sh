#!/usr/bin/env bash
# Regenerates the EF Core compiled models, one per database engine, after a change to the model
# (KilnDbContext or an entity): run it after `dotnet ef migrations add` for both engines
# (docs/deployment/postgresql.md). A compiled model spares each start the model building (about a third of
# a second of CPU on a small machine); CompiledModelTests fails when one is stale.
#
#   eng/ef-compiled-models.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore > /dev/null

generate() { # project output-dir namespace
  # The project builds (its provider refers to the model) before the tool writes anything: the old model stays
  # in place for that build, the new one is written beside it and then takes its place (an entity removed
  # from the model leaves no stale file behind).
  rm -rf "$1/$2.new"
  dotnet ef dbcontext optimize --project "$1" --output-dir "$2.new" --namespace "$3"
  # The assembly attribute would make EF pick this model for any KilnDbContext, whatever the engine: each
  # engine's DatabaseProvider passes its own model with UseModel instead.
  rm -f "$1/$2.new/KilnDbContextAssemblyAttributes.cs"
  rm -rf "$1/$2"
  mv "$1/$2.new" "$1/$2"
}

generate src/Kiln.Server Persistence/CompiledModel Kiln.Server.Persistence.CompiledModel
generate src/Kiln.Persistence.PostgreSql CompiledModel Kiln.Persistence.PostgreSql.CompiledModel
