#!/usr/bin/env bash
# Installs what the test suite needs on a brand-new Debian machine. Idempotent and quiet when
# everything is already there.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  exit 2
fi

# Debian packages the tests use, by the command that proves each is installed.
# promtool (package prometheus) checks and unit-tests docs/ops/alerts.yml; the Prometheus server
# itself is never started. qemu-img and qemu-io (qemu-utils) create and check file-driver volumes; the
# file-driver tests mount tmpfs, ext4 and btrfs (reflink) filesystems on loop devices. tgt and
# libiscsi-bin serve the iSCSI export tests: each test starts its own tgtd, never the packaged service.
declare -A packages=([cinder]=python3-cinderclient [promtool]=prometheus [qemu-img]=qemu-utils [qemu-io]=qemu-utils
  [mkfs.btrfs]=btrfs-progs [mkfs.ext4]=e2fsprogs [tgtd]=tgt [iscsi-readcapacity16]=libiscsi-bin)
missing=()
for command in "${!packages[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${packages[$command]}")
done
# qemu-block-extra has no command: it is qemu's iscsi:// block driver (a module file), which qemu-io needs.
dpkg -s qemu-block-extra >/dev/null 2>&1 || missing+=(qemu-block-extra)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: missing packages ${missing[*]}; run as root or install them first" >&2
    exit 2
  fi
  echo "installing ${missing[*]}"
  # Installing prometheus or tgt would start its server on a machine with an init system; a policy-rc.d
  # that refuses every start keeps services installed here from running (one already there is kept).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Only promtool and the tgt tools are wanted: keep the servers from starting at the next boot too.
  if command -v deb-systemd-helper >/dev/null 2>&1; then
    deb-systemd-helper disable prometheus.service >/dev/null 2>&1 || true
    deb-systemd-helper disable tgt.service >/dev/null 2>&1 || true
  fi
fi
