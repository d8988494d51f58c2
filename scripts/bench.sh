#!/usr/bin/env bash
# bench.sh measures the gridsync CLI end to end on this machine: wall time,
# CPU and peak RSS (GNU time's "Maximum resident set size") of `plan -out`
# (a first sync), `apply` of that plan and a second `plan -out` (no
# changes), against personio-sim serving a
# generated tenant (BENCH_EMPLOYEES employees, default 10000, in 100 offices
# mapped two per company to 50 companies; 500 jobs) and a fresh database
# gridsync_bench on the local PostgreSQL, which it drops again at the end.
#
# The CLI reads Personio at Personio's real limit (300 requests a minute,
# bursts of 15) unless BENCH_REQUESTS_PER_MINUTE sets the configuration's
# requests_per_minute, so reading takes about BENCH_EMPLOYEES/100/4.75
# seconds per command: ~20 s at 10,000 employees, ~3.5 min at 100,000 (the
# whole script then takes ~11 min). The unpaced engine numbers come from
# `go test ./internal/engine -bench .`.
#
# BENCH_WIDE=1 gives every employee 60 attributes instead of 15 (personio-sim
# -wide), for the cost of tenants with many custom attributes.
#
# Usage: scripts/bench.sh            (BENCH_EMPLOYEES=100000 scripts/bench.sh,
#                                     BENCH_REQUESTS_PER_MINUTE=600000 BENCH_WIDE=1 scripts/bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

employees=${BENCH_EMPLOYEES:-10000}
rpm=${BENCH_REQUESTS_PER_MINUTE:-300}
offices=100
companies=50
jobs=500
db=gridsync_bench

if [ ! -x /usr/bin/time ]; then
  echo "error: GNU time is needed at /usr/bin/time (Debian: apt-get install -y time)" >&2
  exit 1
fi
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
bash scripts/ensure-postgres.sh
build

work=$(mktemp -d)
cleanup() {
  stop_sim
  pg "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

pg "DROP DATABASE IF EXISTS $db WITH (FORCE)"
pg "CREATE DATABASE $db"

wide=()
[ -z "${BENCH_WIDE:-}" ] || wide=(-wide)
start_sim -employees "$employees" -offices "$offices" -jobs "$jobs" "${wide[@]}"
url=$sim_url

# The configuration: the quickstart's demo credentials (the simulator's
# defaults) and 50 companies with two offices each, by office id.
cfg=$work/config
mkdir -p "$cfg/secrets"
cp examples/quickstart/secrets/personio.enc.yaml "$cfg/secrets/"
{
  cat <<EOF
personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = "$url"
  jobs_url    = "$url"

  requests_per_minute = $rpm
  burst               = $(( rpm / 20 > 15 ? rpm / 20 : 15 ))
}

target {
  database_url = "postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$db?sslmode=disable"
}
EOF
  per=$((offices / companies))
  for c in $(seq 1 "$companies"); do
    printf '\ncompany "company-%02d" {\n  name = "Company %02d"\n' "$c" "$c"
    for o in $(seq 0 $((per - 1))); do
      id=$((1001 + (c - 1) * per + o))
      printf '  location "office-%d" {\n    name      = "Office %d"\n    office_id = %d\n  }\n' "$id" "$id" "$id"
    done
    printf '}\n'
  done
} >"$cfg/gridsync.hcl"

export SOPS_AGE_KEY_FILE=$root/examples/quickstart/demo-age-key.txt
unset GRIDWORK_DATABASE_URL
bin/gridsync migrate -chdir "$cfg" >/dev/null

echo "personio-sim: $employees employees, $offices offices, $jobs jobs at $url; paced at $rpm requests a minute" >&2
printf '%-22s %10s %12s %9s %9s  %s\n' "command" "wall" "peak RSS" "user" "sys" "result"

# measure runs gridsync with its arguments under GNU time and prints one
# table row; the command's output goes to files in $work.
n=0
measure() {
  n=$((n + 1))
  local out=$work/$n.out err=$work/$n.err tv=$work/$n.time rc=0
  /usr/bin/time -v -o "$tv" bin/gridsync -v -chdir "$cfg" "$@" >"$out" 2>"$err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    cat "$err" >&2
    echo "gridsync $* exited with $rc" >&2
    exit 1
  fi
  local wall rss user sys result timings
  wall=$(sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tv")
  rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$tv")
  user=$(sed -n 's/^\s*User time (seconds): //p' "$tv")
  sys=$(sed -n 's/^\s*System time (seconds): //p' "$tv")
  result=$(grep -E '^(Plan:|No changes\.|Apply complete)' "$out" | tail -1 || true)
  timings=$(sed -n 's/^timings: //p' "$err" | paste -sd ';' - | sed 's/;/; /g')
  printf '%-22s %10s %9d MB %8ss %8ss  %s\n' "${*//$work\//}" "$wall" $((rss / 1024)) "$user" "$sys" "$result"
  [ -z "$timings" ] || printf '%-22s %s\n' "" "timings: $timings"
}

measure plan -out "$work/first.plan"
measure apply "$work/first.plan"
measure plan -out "$work/steady.plan"
