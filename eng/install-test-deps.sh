#!/usr/bin/env bash
# Installs what the test suite needs on a brand-new Debian machine. Idempotent and quiet when
# everything is already there.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  exit 2
fi

# Debian packages the tests use, by the command that proves each is installed.
declare -A packages=([cinder]=python3-cinderclient)
missing=()
for command in "${!packages[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${packages[$command]}")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: missing packages ${missing[*]}; run as root or install them first" >&2
    exit 2
  fi
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
