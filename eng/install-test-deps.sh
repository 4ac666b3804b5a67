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
# libiscsi-bin serve the iSCSI export tests: each test starts its own tgtd, or Kiln starts one (tgt_manage =
# auto) on a control port and portal of the test's own; the packaged service is never used.
# chromium and chromedriver (chromium-driver): tests/Kiln.Dashboard.Tests open the dashboard in Debian's
# headless Chromium through Selenium (Playwright's own browser download is not reachable from CI).
declare -A packages=([cinder]=python3-cinderclient [promtool]=prometheus [qemu-img]=qemu-utils [qemu-io]=qemu-utils
  [mkfs.btrfs]=btrfs-progs [mkfs.ext4]=e2fsprogs [tgtd]=tgt [iscsi-readcapacity16]=libiscsi-bin
  [chromium]=chromium [chromedriver]=chromium-driver)
missing=()
for command in "${!packages[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${packages[$command]}")
done
# Packages checked by name, not by a command:
# - qemu-block-extra has no command: it is qemu's iscsi:// block driver (a module file), which qemu-io needs.
# - keystone and python3-gunicorn: the Keystone end-to-end tests (tests/Kiln.EndToEnd.Tests/Keystone) run
#   a throwaway Keystone with eng/keystone/start.sh, never the packaged service; python3-openstackclient
#   registers Kiln in it (register-kiln.sh) and is one of the clients tested.
# - python3-cinder and python3-oslo.policy: OsloPolicyComparisonTests compares Kiln's policy decisions
#   with oslo.policy's on Cinder's own rules (without them it reports itself skipped). python3-cinder
#   is also what upstream Cinder drivers run on: tests/Kiln.Server.Tests/CinderDrivers start Kiln's driver
#   host (src/Kiln.Drivers.Cinder/cinder-driver-host.py) with Cinder's FakeLoggingVolumeDriver and fail without it.
# - rabbitmq-server: the RabbitMQ bus tests (tests/Kiln.Server.Tests/Messaging) start one throwaway broker,
#   with an epmd of their own, on loopback ports of their own; the packaged service is never used.
#   The failover tests (tests/Kiln.Failover.Tests) start and restart one the same way.
# - postgresql-15: the persistence and HTTP race tests run on PostgreSQL too; they start their own
#   throwaway cluster (initdb + postgres from /usr/lib/postgresql/15/bin, loopback, a temp directory),
#   never the packaged one, and fail naming this package when it is missing. The failover tests
#   (tests/Kiln.Failover.Tests) start and restart a cluster of their own the same way.
# The python packages must be Debian's, importable by /usr/bin/python3: a command of the same name on
# PATH (pip's, pyenv's) does not count. "install ok installed" is dpkg's word for a configured package.
for package in qemu-block-extra keystone python3-gunicorn python3-openstackclient python3-cinder python3-oslo.policy rabbitmq-server postgresql-15; do
  [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: missing packages ${missing[*]}; run as root or install them first" >&2
    exit 2
  fi
  echo "installing ${missing[*]}"
  # Installing prometheus, tgt, keystone, rabbitmq-server or postgresql-15 would start its server (keystone: uwsgi on port 5000), and
  # python3-cinder pulls in open-iscsi's iscsid, on a machine with an init system; a policy-rc.d that
  # refuses every start keeps services installed here from running (one already there is kept).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # Other engineers' scripts install packages on this machine too: wait for dpkg's lock rather than fail.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Only the tools and libraries are wanted: keep the servers from starting at the next boot too.
  if command -v deb-systemd-helper >/dev/null 2>&1; then
    for unit in prometheus.service tgt.service keystone.service iscsid.service iscsid.socket open-iscsi.service rabbitmq-server.service epmd.service epmd.socket postgresql.service; do
      deb-systemd-helper disable "$unit" >/dev/null 2>&1 || true
    done
  fi
fi
