# shellcheck shell=bash
# Sourced, not run, by eng/keystone/start.sh, stop.sh, register-kiln.sh and eng/conformance.sh.

# ensure_debian_packages PACKAGE... installs the Debian packages that are missing. Idempotent, and
# quiet when every package is already installed (one dpkg-query, no apt-get).

ensure_debian_packages() {
  local missing=() package
  for package in "$@"; do
    # "install ok installed" is dpkg's word for a package that is fully configured; a package removed
    # but not purged ("deinstall ok config-files") must be installed again.
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$package")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages ${missing[*]}; run as root or install them first" >&2
    return 2
  fi
  echo "installing ${missing[*]} (takes a minute or two the first time)" >&2

  # The keystone package would start its own uwsgi Keystone on port 5000 with /etc/keystone's config
  # on a machine with an init system. A policy-rc.d that refuses every start keeps it (and anything
  # else installed here) from running; one already there (a container's) is kept as it is.
  local own_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=true
  fi
  local status=0
  # Other engineers' scripts install packages on this machine too: wait for dpkg's lock rather than fail.
  {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
  } || status=$?
  if [ "$own_policy" = true ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$status" -eq 0 ] || return "$status"

  # Only the code is wanted: keep the packaged Keystone from starting at the next boot too. Every
  # Keystone this project runs is started by eng/keystone/start.sh, with its own configuration.
  if command -v deb-systemd-helper >/dev/null 2>&1; then
    deb-systemd-helper disable keystone.service >/dev/null 2>&1 || true
  fi
}

# is_our_keystone DIR PID: 0 when PID is alive and is the gunicorn that start.sh started for DIR (so a
# PID the kernel has since given to another process is never signalled). gunicorn may rewrite its
# command line (setproctitle), so it is recognized by its working directory, which --chdir set to
# DIR, and by its program, a python.
is_our_keystone() {
  local dir="$1" pid="$2"
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$dir" ] &&
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */python3* ]]
}
