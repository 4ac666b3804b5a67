#!/usr/bin/env bash
# Registers Kiln in the Keystone that eng/keystone/start.sh runs in DIR, as Cinder is registered.
#
#   eng/keystone/register-kiln.sh DIR KILN_URL
#
# KILN_URL is Kiln's API root without a path, e.g. http://127.0.0.1:8776. With the admin credentials
# of DIR/env and the openstack CLI (Debian's python3-openstackclient, installed when missing) it makes:
#   - project `service` (domain Default)
#   - user `kiln` (domain Default) with a password, and role admin on project service, as Cinder's
#     service user has: what Kiln uses to validate users' tokens ([keystone_authtoken])
#   - service `cinderv3` of type `volumev3`, with public, internal and admin endpoints
#     KILN_URL/v3/%(project_id)s in region RegionOne (what Tempest and the clients look up)
# and writes DIR/kiln-service.env (KEY=VALUE lines like DIR/env):
#   KILN_KS_USERNAME=kiln  KILN_KS_PASSWORD=...  KILN_KS_PROJECT=service
#
# Idempotent: run again (with the same or another KILN_URL), it keeps what exists, moves the
# endpoints to KILN_URL, and keeps the kiln user's password. Takes 17-18 s the first time (27 s on a
# loaded machine), ~12 s again: each openstack command starts a Python that loads the client, ~2 s.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 DIR KILN_URL" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$1" && pwd)"
kiln_url="${2%/}"
endpoint_url="$kiln_url/v3/%(project_id)s"

# shellcheck source=eng/keystone/lib.sh
. "$here/lib.sh"
ensure_debian_packages python3-openstackclient

if [ ! -f "$dir/env" ]; then
  echo "$dir/env not found: start Keystone first with eng/keystone/start.sh $1" >&2
  exit 1
fi
# Only the admin's OS_* variables: any OS_* the caller has (a cloud's token, a clouds.yaml name)
# would otherwise mix in.
while IFS='=' read -r name _; do unset "$name"; done < <(env | grep '^OS_' || true)
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a

# The openstack CLI of Debian's Python (its modules are installed for /usr/bin/python3 only).
os() { /usr/bin/python3 /usr/bin/openstack "$@"; }

# A password chosen once, kept across runs: a Kiln already configured with it keeps working.
password=""
if [ -f "$dir/kiln-service.env" ]; then password="$(sed -n 's/^KILN_KS_PASSWORD=//p' "$dir/kiln-service.env")"; fi
if [ -z "$password" ]; then password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; fi

os project create --domain Default --description "Service project (Kiln's service user)" --or-show \
  -f value -c id service >/dev/null
# --or-show leaves an existing user's password unchanged, so it is set again when this password does
# not log in (a user from a run whose kiln-service.env is gone).
os user create --domain Default --project service --project-domain Default --password "$password" \
  --or-show -f value -c id kiln >/dev/null
token_request="{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"kiln\",
  \"domain\": {\"name\": \"Default\"}, \"password\": \"$password\"}}}}}"
if ! curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$token_request" "$OS_AUTH_URL/auth/tokens"; then
  os user set --domain Default --password "$password" kiln
fi
# Granting a role that is already granted is no error.
os role add --project service --project-domain Default --user kiln --user-domain Default admin

if ! os service show -f value -c id cinderv3 >/dev/null 2>&1; then
  os service create --name cinderv3 --description "Kiln (Cinder v3 API)" -f value -c id volumev3 >/dev/null
fi
# One endpoint per interface, at KILN_URL: an existing one is moved there, a missing one created.
existing="$(os endpoint list --service cinderv3 --region RegionOne -f value -c ID -c Interface -c URL)"
for interface in public internal admin; do
  read -r id url < <(awk -v i="$interface" '$2 == i { print $1, $3; exit }' <<<"$existing") || true
  if [ -z "${id:-}" ]; then
    os endpoint create --region RegionOne cinderv3 "$interface" "$endpoint_url" >/dev/null
  elif [ "$url" != "$endpoint_url" ]; then
    os endpoint set --url "$endpoint_url" "$id"
  fi
  id="" url=""
done

cat > "$dir/kiln-service.env.tmp" <<EOF
KILN_KS_USERNAME=kiln
KILN_KS_PASSWORD=$password
KILN_KS_PROJECT=service
EOF
mv "$dir/kiln-service.env.tmp" "$dir/kiln-service.env"
echo "kiln registered in $OS_AUTH_URL: service cinderv3 (volumev3) at $endpoint_url, user kiln in project service"
