#!/usr/bin/env bash
# quickstart.sh runs gridsync's main job end to end on this machine:
#   builds gridsync and personio-sim, starts the simulator with the
#   quickstart dataset, (re)creates the gridsync_quickstart database on the
#   local PostgreSQL, migrates, plans, applies, plans again ("No changes."),
#   then hires someone in the simulated Personio and shows the one-line plan
#   that follows, runs the unattended sync that applies it and a second,
#   idle one, and prints the sync status and history.
# The database gridsync_quickstart belongs to this demo: it is dropped and
# created afresh on every run so the output is the same each time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bold() { if [ -t 1 ]; then printf '\n\033[1m$ %s\033[0m\n' "$*"; else printf '\n$ %s\n' "$*"; fi; }
step() { bold "$*"; "$@"; }

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
bash scripts/ensure-postgres.sh
build
export PATH="$root/bin:$PATH"

db=gridsync_quickstart
pg "DROP DATABASE IF EXISTS $db WITH (FORCE)"
pg "CREATE DATABASE $db"

trap stop_sim EXIT
# No flags: the simulator's default dataset is the quickstart's.
# shellcheck disable=SC2119
start_sim
url=$sim_url
echo "personio-sim is serving the quickstart tenant at $url" >&2

export PERSONIO_API_URL=$url PERSONIO_JOBS_URL=$url
export SOPS_AGE_KEY_FILE=$root/examples/quickstart/demo-age-key.txt
export GRIDWORK_DATABASE_URL="postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$db?sslmode=disable"
cd examples/quickstart

step gridsync validate
step gridsync creds validate
step gridsync migrate
step gridsync plan -out quickstart.plan
step gridsync apply -auto-approve quickstart.plan
rm -f quickstart.plan
step gridsync plan

bold "curl -X POST $url/_sim/employees  # Łukasz joins the Berlin office in Personio"
curl -fsS -X POST "$url/_sim/employees" -H 'Content-Type: application/json' -d '{
  "id": 5000, "first_name": "Łukasz", "last_name": "Nowak", "gender": "male",
  "position": "Site Reliability Engineer", "email": "lukasz.nowak@acme.example",
  "status": "active", "office_id": 1001, "department": "Engineering"
}' >/dev/null

step gridsync plan
step gridsync sync
step gridsync sync
step gridsync status
step gridsync history -limit 5
