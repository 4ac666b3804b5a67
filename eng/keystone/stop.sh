#!/usr/bin/env bash
# Stops the Keystone that eng/keystone/start.sh started in DIR, by the PID in DIR/keystone.pid.
#
#   eng/keystone/stop.sh DIR
#
# Leaves DIR's files (database, keys, logs, env) in place: start.sh DIR starts the same Keystone
# again, and deleting DIR is the caller's choice. Exits 0 when nothing runs there (already stopped,
# no pid file, or the PID now belongs to another process, which is left alone).
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=eng/keystone/lib.sh
. "$here/lib.sh"
[ -d "$1" ] || exit 0
dir="$(cd "$1" && pwd)"
[ -f "$dir/keystone.pid" ] || exit 0
pid="$(cat "$dir/keystone.pid")"

if is_our_keystone "$dir" "$pid"; then
  # gunicorn's master ends its worker and exits on TERM; KILL only if it has not within 15 s.
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "keystone (pid $pid) did not stop within 15 s; killing it" >&2
    # The worker is the master's child; with the master killed it would be orphaned, so it goes first.
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$dir/keystone.pid"
