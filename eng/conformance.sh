#!/usr/bin/env bash
# Runs Tempest's volume API tests and the cinder-tempest-plugin's API tests against Kiln, with a real
# Keystone, all on 127.0.0.1, and writes docs/conformance.md.
#
#   eng/conformance.sh [--keep] [--regex R] [--no-docs] [--lenient-schemas] [--kiln-dll PATH]
#
#   --regex R   the tests to run (Python regex on test ids, as `tempest run --regex`); default
#               '^(tempest\.api\.volume|cinder_tempest_plugin\.api)', 237 tests with Tempest 33 and
#               cinder-tempest-plugin 1.7.2
#   --keep      keep the whole throwaway directory (Keystone's and Kiln's data, the Tempest workspace);
#               without it only DIR/results is kept
#   --no-docs   leave docs/conformance.md alone
#   --lenient-schemas
#               diagnostic, not conformance (implies --no-docs): a response that breaks Tempest's
#               response schema is let through and every violation recorded, so the run shows what
#               fails besides the schemas (one violation in a class's setUpClass otherwise fails the
#               whole class); DIR/results/conformance.md then lists each violation with its schema
#               file, field and number of tests (eng/conformance/tempest_hooks/sitecustomize.py)
#   --kiln-dll PATH
#               run this already built kiln.dll instead of building src/Kiln in Release: ./build.sh
#               passes the build it has just made, which saves a second build of Kiln (1-3 min)
#
# On a fresh Debian 12 machine (as root) it installs what is missing: tempest, cinder-tempest-plugin,
# python3-subunit and python3-junitxml (the results in other formats), qemu-utils (the file driver's
# qemu-img), and through eng/keystone/start.sh
# keystone, python3-gunicorn and python3-openstackclient. It needs the .NET SDK (dotnet) on PATH.
#
# Steps, in a new directory DIR under /tmp: Keystone (eng/keystone/start.sh DIR/keystone), Kiln's
# catalog entries and service user (register-kiln.sh), `dotnet build src/Kiln -c Release`, Kiln on a
# free loopback port with DIR/kiln.conf (auth_strategy = keystone; see below), a Tempest workspace
# DIR/tempest with a tempest.conf for a cloud that has only Keystone and a volume service, then
# `tempest run --concurrency 2`. Kiln and Keystone are stopped by their PIDs when the script ends,
# however it ends.
#
# DIR/results keeps: tempest.subunit (the raw stream), tempest.xml (JUnit), tempest.csv, results.tsv
# (one line a test: id, result, reason), tests.txt (the selected ids), tempest.log (every request
# Tempest made), tempest-run.log (the console), kiln.log, keystone/ (its logs), kiln.conf and
# tempest.conf, build.log.
#
# Exit status: 0 when the tests ran and were counted, whatever they found; non-zero when the run
# itself could not be made (a package, the build, Keystone or Kiln did not come up). The last line is
#   conformance: N passed, N failed, N skipped
# counting each selected test once (a test with no result counts as failed).
#
# Takes ~10 minutes on the 2-core dev machine with other builds running: Keystone and registration
# ~1 min, the build 1-3 min, Tempest ~6 min (most of it Keystone making each class's project and
# users). The first run also installs the packages, ~2 minutes.
set -euo pipefail

default_regex='^(tempest\.api\.volume|cinder_tempest_plugin\.api)'
regex="$default_regex"
keep=false
docs=true
lenient=false
noauth=false
kiln_dll=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --keep) keep=true ;;
    --no-docs) docs=false ;;
    --lenient-schemas) lenient=true; docs=false ;;
    --regex)
      [ "$#" -ge 2 ] || { echo "--regex needs a value" >&2; exit 2; }
      regex="$2"
      shift
      ;;
    --regex=*) regex="${1#--regex=}" ;;
    --kiln-dll)
      [ "$#" -ge 2 ] || { echo "--kiln-dll needs a value" >&2; exit 2; }
      kiln_dll="$2"
      shift
      ;;
    --kiln-dll=*) kiln_dll="${1#--kiln-dll=}" ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see $0 --help)" >&2; exit 2 ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Debian's python runs every OpenStack tool here: the packages install for /usr/bin/python3 only,
# and the python3 first on PATH may be another (pyenv's on the dev machines).
python=/usr/bin/python3

if ! command -v dotnet >/dev/null 2>&1; then
  echo "conformance: the .NET SDK (dotnet) is required and was not found on PATH" >&2
  exit 2
fi
# shellcheck source=eng/keystone/lib.sh
. "$root/eng/keystone/lib.sh"
# python3-junitxml: subunit2junitxml needs it and python3-subunit does not pull it in.
ensure_debian_packages tempest cinder-tempest-plugin python3-subunit python3-junitxml python3-stestr qemu-utils curl

dir="$(mktemp -d /tmp/kiln-conformance.XXXXXX)"
results="$dir/results"
mkdir -p "$results"
echo "conformance: working in $dir"

kiln_pid=""
cleaned=false
# Stops what this script started, by PID, and keeps the results. Runs at any exit (trap) and once
# before the summary line, so that line is the last one printed.
cleanup() {
  [ "$cleaned" = true ] && return 0
  cleaned=true
  if [ -n "$kiln_pid" ] && kill -0 "$kiln_pid" 2>/dev/null; then
    kill -TERM "$kiln_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$kiln_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$kiln_pid" 2>/dev/null || true
  fi
  "$root/eng/keystone/stop.sh" "$dir/keystone" || true
  # Logs and configurations go to results/ before the rest may be deleted.
  mkdir -p "$results/keystone"
  cp "$dir"/keystone/*.log "$dir"/keystone/keystone.conf "$results/keystone/" 2>/dev/null || true
  # Tempest writes tempest.log in its working directory (the workspace), whatever log_dir says.
  for file in "$dir/tempest/tempest.log" "$dir/tempest/logs/tempest.log" "$dir/tempest/etc/tempest.conf"; do
    if [ -s "$file" ]; then cp "$file" "$results/"; fi
  done
  cp "$dir/kiln.conf" "$results/" 2>/dev/null || true
  if [ "$keep" = false ]; then
    # (tempest.log here is what `tempest init` wrote while loading its configuration.)
    rm -rf "$dir/keystone" "$dir/kiln-data" "$dir/tempest" "$dir/kiln.conf" "$dir/tempest.log" \
      "$dir/tempest-workspaces.yaml"
  fi
  if [ "$keep" = true ]; then
    echo "conformance: results in $results (and everything else in $dir)"
  else
    echo "conformance: results in $results"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Keystone -----------------------------------------------------------------------------------
"$root/eng/keystone/start.sh" "$dir/keystone"
# The admin's credentials, for tempest.conf: KEY=VALUE lines, read without sourcing into this shell.
ks() { sed -n "s/^$1=//p" "$dir/keystone/env"; }

# Kiln's port is chosen now: the catalog entries name it.
kiln_port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
kiln_url="http://127.0.0.1:$kiln_port"
"$root/eng/keystone/register-kiln.sh" "$dir/keystone" "$kiln_url"
svc() { sed -n "s/^$1=//p" "$dir/keystone/kiln-service.env"; }

# --- Kiln ---------------------------------------------------------------------------------------
if [ -n "$kiln_dll" ]; then
  # Given by the caller (./build.sh's own build): used as it is, not rebuilt.
  if [ ! -f "$kiln_dll" ]; then
    echo "conformance: --kiln-dll $kiln_dll does not exist (build Kiln first)" >&2
    exit 1
  fi
  kiln_dll="$(cd "$(dirname "$kiln_dll")" && pwd)/$(basename "$kiln_dll")"
  echo "conformance: using $kiln_dll (not rebuilt)"
else
  echo "conformance: building Kiln (dotnet build src/Kiln -c Release)"
  if ! (cd "$root" && dotnet build src/Kiln -c Release -nologo) >"$results/build.log" 2>&1; then
    tail -n 30 "$results/build.log" >&2
    echo "conformance: the build failed; see $results/build.log" >&2
    exit 1
  fi
  kiln_dll="$root/src/Kiln/bin/Release/net10.0/kiln.dll"
fi

# kiln.conf uses Cinder's option names, and keystonemiddleware's in [keystone_authtoken], as a
# cinder.conf would: the service user is the one register-kiln.sh made.
write_kiln_conf() {
  cat > "$dir/kiln.conf" <<EOF
[DEFAULT]
auth_strategy = $1
state_path = $dir/kiln-data
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $kiln_port
enabled_backends = file

[file]
volume_driver = file
volume_backend_name = file

[keystone_authtoken]
www_authenticate_uri = $(ks OS_AUTH_URL)
auth_url = $(ks OS_AUTH_URL)
auth_type = password
username = $(svc KILN_KS_USERNAME)
password = $(svc KILN_KS_PASSWORD)
project_name = $(svc KILN_KS_PROJECT)
user_domain_name = Default
project_domain_name = Default
EOF
}
write_kiln_conf keystone
notes="$results/notes.md"
: > "$notes"
# A Kiln without Keystone support refuses auth_strategy = keystone at start-up. Rather than measure
# nothing, that Kiln is measured with noauth: Tempest then sends it noauth's user:project tokens
# (see the Tempest hooks below), and the report says so. Once Kiln accepts keystone, this falls through.
if ! check="$(dotnet "$kiln_dll" config check --config "$dir/kiln.conf" 2>&1)"; then
  if grep -q auth_strategy <<<"$check"; then
    echo "conformance: this Kiln refuses auth_strategy = keystone; running it with noauth" >&2
    echo "- Authentication: Kiln ran with \`auth_strategy = noauth\`: this build refuses \`keystone\` (\`$(grep auth_strategy <<<"$check" | head -n 1 | sed "s|$dir/||; s/\`/'/g")\`). Tempest still made its users and projects in Keystone and found Kiln in Keystone's catalog, but sent Kiln \`X-Auth-Token: <user id>:<project id>\` (noauth's form) instead of the Keystone token; every noauth caller is an administrator, so authorization was not measured." >> "$notes"
    write_kiln_conf noauth
    noauth=true
  else
    echo "$check" >&2
    echo "conformance: kiln config check refused $dir/kiln.conf" >&2
    exit 1
  fi
else
  echo "- Authentication: Kiln ran with \`auth_strategy = keystone\` against the same Keystone as Tempest." >> "$notes"
fi

# setsid: Kiln gets no signal meant for this script's terminal; cleanup() stops it by its PID.
(cd "$dir" && exec setsid dotnet "$kiln_dll" serve --config "$dir/kiln.conf") </dev/null >"$results/kiln.log" 2>&1 &
kiln_pid=$!
deadline=$((SECONDS + 120))
# Ready: the database is open and the file backend has initialized (healthz needs no token).
until curl -sf -o /dev/null "$kiln_url/healthz/ready"; do
  if ! kill -0 "$kiln_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    tail -n 30 "$results/kiln.log" >&2
    echo "conformance: Kiln did not become ready on $kiln_url; see $results/kiln.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "conformance: Kiln ready on $kiln_url (pid $kiln_pid)"

# --- Tempest ------------------------------------------------------------------------------------
# --workspace-path: tempest init would otherwise record every throwaway workspace in ~/.tempest.
# From DIR: tempest init writes a tempest.log into its working directory.
(cd "$dir" && tempest init --workspace-path "$dir/tempest-workspaces.yaml" "$dir/tempest") >/dev/null
# The whole tempest.conf: `tempest init` copies Debian's /etc/tempest/tempest.conf, written for
# another cloud; this one replaces it. A cloud with Keystone and a volume service only: every other
# service is off, so tests that need a server, an image or a network skip.
cat > "$dir/tempest/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $dir/tempest/logs
log_file = tempest.log

[oslo_concurrency]
lock_path = $dir/tempest/tempest_lock

[auth]
# Each test class gets its own project and users, made with the admin's credentials.
use_dynamic_credentials = true
admin_username = $(ks OS_USERNAME)
admin_password = $(ks OS_PASSWORD)
admin_project_name = $(ks OS_PROJECT_NAME)
admin_domain_name = Default
# No Neutron: no networks per project.
create_isolated_networks = false

[identity]
uri_v3 = $(ks OS_AUTH_URL)
auth_version = v3
region = RegionOne
disable_ssl_certificate_validation = true

[identity-feature-enabled]
api_v2 = false
api_v3 = true

[service_available]
cinder = true
glance = false
nova = false
neutron = false
swift = false
horizon = false
barbican = false

[volume]
catalog_type = volumev3
endpoint_type = publicURL
region = RegionOne
min_microversion = 3.0
max_microversion = 3.70
# What Kiln's one file backend reports (volume_backend_name, vendor_name, storage_protocol).
backend_names = file
vendor_name = Kiln
storage_protocol = iSCSI
# The file backend creates a volume in well under a second; a test waiting for a status Kiln never
# reaches gives up after a minute instead of Tempest's 300 s.
build_timeout = 60

[volume-feature-enabled]
backup = false
snapshot = true
clone = true
multi_backend = false
manage_volume = false
manage_snapshot = false
extend_attached_volume = false
consistency_group = false
volume_revert = false

[validation]
# Nothing to log in to: no servers.
run_validation = false
EOF

cd "$dir/tempest"
tempest run --list-tests --regex "$regex" >"$results/tests.txt" 2>&1 || {
  cat "$results/tests.txt" >&2
  echo "conformance: tempest could not list the tests" >&2
  exit 1
}
command_line="eng/conformance.sh"
if [ "$regex" != "$default_regex" ]; then command_line+=" --regex '$regex'"; fi
echo "conformance: running tempest (tempest run --regex '$regex' --concurrency 2); console in $results/tempest-run.log"
started=$SECONDS
run_date="$(date -u '+%Y-%m-%d %H:%M UTC')"
# Tempest hooks (eng/conformance/tempest_hooks/sitecustomize.py), each turned on by its variable.
# Tempest's test workers are Python processes started by `tempest run`: they inherit the variables.
run_env=(PYTHONPATH="$root/eng/conformance/tempest_hooks${PYTHONPATH:+:$PYTHONPATH}")
if [ "$noauth" = true ]; then
  # Kiln in noauth mode takes the caller from an X-Auth-Token of the form user:project (as Cinder's
  # noauth middleware does); a Keystone token there would be taken for a project id and refused.
  run_env+=(KILN_CONFORMANCE_NOAUTH_SERVICE=volumev3)
fi
if [ "$lenient" = true ]; then
  run_env+=(KILN_CONFORMANCE_SCHEMA_LOG="$results/schema-violations.jsonl")
  : >"$results/schema-violations.jsonl"
  command_line+=" --lenient-schemas"
  echo "- Diagnostic run (\`--lenient-schemas\`): response-schema violations were recorded, not failed on; these counts are not conformance." >> "$notes"
fi
# Failing tests make tempest exit 1: that is a result, not an error of this script.
env "${run_env[@]}" tempest run --regex "$regex" --concurrency 2 >"$results/tempest-run.log" 2>&1 || true
echo "- Tempest ran for $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s with concurrency 2: Tempest $(dpkg-query -W -f='${Version}' tempest), cinder-tempest-plugin $(dpkg-query -W -f='${Version}' cinder-tempest-plugin), Keystone $(dpkg-query -W -f='${Version}' keystone), Kiln (src/ as of commit $(git -C "$root" log -1 --format=%h -- src))$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' with uncommitted changes')." >> "$notes"

if ! stestr last --subunit >"$results/tempest.subunit" 2>/dev/null; then
  tail -n 30 "$results/tempest-run.log" >&2
  echo "conformance: tempest recorded no run; see $results/tempest-run.log" >&2
  exit 1
fi
# The same results in the formats other tools read: JUnit XML (CI dashboards) and CSV.
# (subunit2junitxml exits 1 when the stream has failures; an empty file means it could not run.)
subunit2junitxml <"$results/tempest.subunit" >"$results/tempest.xml" 2>"$results/subunit2junitxml.log" || true
subunit2csv <"$results/tempest.subunit" >"$results/tempest.csv" 2>>"$results/subunit2junitxml.log" || true
for file in tempest.xml tempest.csv; do
  if [ ! -s "$results/$file" ]; then
    echo "conformance: could not write $file; see $results/subunit2junitxml.log" >&2
    rm -f "$results/$file"
  fi
done

# Failures explained once, by hand, for every run (docs/conformance.md says why they are not Kiln's).
cat "$root/eng/conformance/known-failures.md" >> "$notes"
report_args=(--list "$results/tests.txt" --subunit "$results/tempest.subunit" --regex "$regex"
  --command "$command_line" --date "$run_date" --notes "$notes" --tsv "$results/results.tsv"
  --markdown "$results/conformance.md")
if [ "$lenient" = true ]; then
  report_args+=(--schema-log "$results/schema-violations.jsonl" --title "Tempest run with lenient response schemas (diagnostic)")
fi
summary="$("$python" "$root/eng/conformance/report.py" "${report_args[@]}")"
if [ "$docs" = true ]; then
  cp "$results/conformance.md" "$root/docs/conformance.md"
  echo "conformance: wrote docs/conformance.md"
fi

cd /
cleanup
echo "$summary"
