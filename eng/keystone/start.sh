#!/usr/bin/env bash
# Starts a throwaway Keystone (Debian's keystone 22, Zed) for tests, on loopback only.
#
#   eng/keystone/start.sh DIR [PORT]
#
# DIR   a directory of its own (created if missing) that holds everything this Keystone has: its
#       keystone.conf, SQLite database, fernet and credential keys, log and pid. Nothing outside DIR
#       is written, except that the Debian packages keystone and python3-gunicorn are installed
#       when missing (as root; the packaged Keystone service is kept from starting).
# PORT  the TCP port on 127.0.0.1; default: a free one (or the one DIR's earlier run used).
#
# When it returns 0, Keystone answers on http://127.0.0.1:PORT/v3 and has issued the admin a token,
# and DIR holds:
#   DIR/env           one KEY=VALUE a line, no quotes, no spaces (parse it, or `set -a; . DIR/env;
#                     set +a` to export it for the openstack CLI):
#                       OS_AUTH_URL=http://127.0.0.1:PORT/v3   OS_USERNAME=admin   OS_PASSWORD=...
#                       OS_PROJECT_NAME=admin   OS_USER_DOMAIN_NAME=Default
#                       OS_PROJECT_DOMAIN_NAME=Default   OS_IDENTITY_API_VERSION=3
#                       OS_REGION_NAME=RegionOne   KEYSTONE_PORT=PORT   KEYSTONE_PID=PID
#   DIR/keystone.pid  the PID of the gunicorn master serving Keystone (eng/keystone/stop.sh DIR ends it)
#   DIR/keystone.log  Keystone's own log; DIR/gunicorn.log has the server's output and access lines
# `keystone-manage bootstrap` made the admin user (password OS_PASSWORD), the admin project, the
# admin, member and reader roles, region RegionOne and the identity endpoints.
#
# Running it again on the same DIR is harmless: a Keystone still running there is left as it is
# (exit 0); a stopped one starts again on its old port with its old data unless PORT says otherwise.
# Then: eng/keystone/register-kiln.sh DIR KILN_URL adds Kiln's service user and catalog entries.
#
# Timing on the 2-core dev machine: installing keystone, python3-gunicorn and python3-openstackclient
# ~95 s, once; start.sh 14-19 s cold (new DIR: keys, schema migrations, bootstrap; 24 s with other
# builds loading the machine), ~3 s warm (a stopped DIR started again: the database is reused and the
# migrations and bootstrap are skipped), 0.2 s when it already runs.
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $0 DIR [PORT]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$1"
dir="$(cd "$1" && pwd)"
port="${2:-}"

# Debian's python, not whatever python3 comes first on PATH (pyenv's on the dev machines): the
# keystone package installs its modules for /usr/bin/python3 only.
python=/usr/bin/python3

# shellcheck source=eng/keystone/lib.sh
. "$here/lib.sh"
ensure_debian_packages keystone python3-gunicorn

# Values an earlier run in this DIR chose (port and admin password) are kept: the catalog and the
# database hold them.
env_value() {
  if [ -f "$dir/env" ]; then sed -n "s/^$1=//p" "$dir/env" | tail -n 1; fi
}

if [ -f "$dir/keystone.pid" ] && is_our_keystone "$dir" "$(cat "$dir/keystone.pid")"; then
  echo "keystone already running in $dir (pid $(cat "$dir/keystone.pid"), $(env_value OS_AUTH_URL))"
  exit 0
fi

if [ -z "$port" ]; then port="$(env_value KEYSTONE_PORT)"; fi
if [ -z "$port" ]; then
  # Port 0 makes the kernel choose a free port; it is free again a moment later, when gunicorn binds it.
  port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
password="$(env_value OS_PASSWORD)"
if [ -z "$password" ]; then password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; fi
url="http://127.0.0.1:$port/v3"

# Everything Keystone reads is in DIR: keystone-manage gets --config-file, and the server
# OS_KEYSTONE_CONFIG_DIR, so /etc/keystone/keystone.conf is never read nor changed.
cat > "$dir/keystone.conf" <<EOF
# Written by eng/keystone/start.sh for a throwaway test Keystone; rewritten at each start.
[DEFAULT]
log_file = $dir/keystone.log

[database]
connection = sqlite:///$dir/keystone.db

[token]
provider = fernet

[fernet_tokens]
key_repository = $dir/fernet-keys

[fernet_receipts]
key_repository = $dir/fernet-keys

[credential]
key_repository = $dir/credential-keys

[identity]
# bcrypt's default 12 rounds cost ~0.2 s of CPU per password check, and Tempest creates and logs in
# hundreds of users; 4 (the least bcrypt allows) is plenty for throwaway passwords.
password_hash_rounds = 4
EOF

# keystone-manage's output (and eventlet's noise at its exit) goes to a log, shown when a step fails.
manage() {
  if ! keystone-manage --config-file "$dir/keystone.conf" "$@" >>"$dir/keystone-manage.log" 2>&1; then
    echo "keystone-manage $1 failed; last lines of $dir/keystone-manage.log and $dir/keystone.log:" >&2
    tail -n 20 "$dir/keystone-manage.log" "$dir/keystone.log" >&2 2>/dev/null || true
    return 1
  fi
}

if [ ! -e "$dir/keystone.db" ]; then
  # SQLite in WAL mode lets readers go on while a request writes; the mode is stored in the file.
  "$python" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")' "$dir/keystone.db"
fi
# fernet_setup and credential_setup leave an existing key repository alone.
[ -d "$dir/fernet-keys" ] || manage fernet_setup --keystone-user root --keystone-group root
[ -d "$dir/credential-keys" ] || manage credential_setup --keystone-user root --keystone-group root
# Both are idempotent (db_sync runs only the migrations still missing, bootstrap creates only what
# is missing and points the identity endpoints at this run's URL) but take ~3 s each, so a restart
# skips them when the database was made by the same keystone package for the same port.
made_for="$(dpkg-query -W -f='${Version}' keystone) $port"
if [ "$(cat "$dir/bootstrapped" 2>/dev/null)" != "$made_for" ]; then
  manage db_sync
  manage bootstrap --bootstrap-password "$password" --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$url" --bootstrap-internal-url "$url" --bootstrap-public-url "$url"
  echo "$made_for" > "$dir/bootstrapped"
fi

# The WSGI entry point. oslo.config parses sys.argv when Keystone initializes, and gunicorn's own
# arguments there would be taken for Keystone's, so it is trimmed to the program name first.
cat > "$dir/keystone_wsgi.py" <<'EOF'
import sys

sys.argv = sys.argv[:1]

from keystone.server import wsgi  # noqa: E402

application = wsgi.initialize_public_application()
EOF

# One worker: two gunicorn workers writing the same SQLite file fail with "database is locked".
# The generous timeout keeps gunicorn from killing a worker in a slow request on a busy machine.
# setsid puts Keystone in a session of its own, so a signal to the caller's terminal or process group
# does not reach it; it stays in the foreground of this script's shell, so $! is its own PID.
OS_KEYSTONE_CONFIG_DIR="$dir" setsid "$python" -m gunicorn --workers 1 --timeout 120 \
  --bind "127.0.0.1:$port" --chdir "$dir" --access-logfile - --error-logfile - keystone_wsgi:application \
  </dev/null >>"$dir/gunicorn.log" 2>&1 &
pid=$!
echo "$pid" > "$dir/keystone.pid"

# Ready means: the API answers and the admin gets a token (bootstrap's data is there).
token_request="{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"admin\",
  \"domain\": {\"name\": \"Default\"}, \"password\": \"$password\"}}}, \"scope\": {\"project\": {\"name\": \"admin\",
  \"domain\": {\"name\": \"Default\"}}}}}"
deadline=$((SECONDS + 90))
until curl -sf -o /dev/null "$url" &&
  curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$token_request" "$url/auth/tokens"; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "keystone did not start on $url; last lines of $dir/gunicorn.log and $dir/keystone.log:" >&2
    tail -n 20 "$dir/gunicorn.log" "$dir/keystone.log" >&2 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    rm -f "$dir/keystone.pid"
    exit 1
  fi
  sleep 0.3
done

cat > "$dir/env.tmp" <<EOF
OS_AUTH_URL=$url
OS_USERNAME=admin
OS_PASSWORD=$password
OS_PROJECT_NAME=admin
OS_USER_DOMAIN_NAME=Default
OS_PROJECT_DOMAIN_NAME=Default
OS_IDENTITY_API_VERSION=3
OS_REGION_NAME=RegionOne
KEYSTONE_PORT=$port
KEYSTONE_PID=$pid
EOF
# Renamed into place, so a reader never sees half a file.
mv "$dir/env.tmp" "$dir/env"
echo "keystone running on $url (pid $pid, data in $dir)"
