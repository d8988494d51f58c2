# lib.sh holds what quickstart.sh and bench.sh share. Source it from the
# repository root; it defines:
#   pg SQL...                  run SQL as the PostgreSQL superuser (PG* env)
#   build                      build bin/gridsync and bin/personio-sim
#   start_sim ARGS...          start bin/personio-sim ARGS on a free port in the
#                              background, wait for it; sets sim (pid), sim_url
#                              and sim_log
#   stop_sim                   stop it again (call it from the EXIT trap)
# shellcheck shell=bash

pg() {
  PGOPTIONS=-cclient_min_messages=warning psql -X -q -v ON_ERROR_STOP=1 \
    -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}" -d postgres -c "$*" >/dev/null
}

build() {
  echo "building gridsync and personio-sim…" >&2
  go build -o bin/ ./cmd/gridsync ./cmd/personio-sim
}

sim=
sim_url=
sim_log=
_sim_out=
stop_sim() {
  if [ -n "$sim" ]; then kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; fi
  rm -f "$sim_log" "$_sim_out"
}

start_sim() {
  sim_log=$(mktemp)
  _sim_out=$(mktemp)
  bin/personio-sim -addr 127.0.0.1:0 "$@" >"$_sim_out" 2>"$sim_log" &
  sim=$!
  for _ in $(seq 1 300); do
    sim_url=$(sed -n 's/^personio-sim listening on //p' "$_sim_out")
    [ -n "$sim_url" ] && return 0
    if ! kill -0 "$sim" 2>/dev/null; then cat "$sim_log" >&2; echo "personio-sim did not start" >&2; exit 1; fi
    sleep 0.1
  done
  cat "$sim_log" >&2
  echo "personio-sim did not report its address within 30 s" >&2
  exit 1
}
