#!/usr/bin/env bash
# ensure-postgres.sh makes sure a PostgreSQL server answers on
# $PGHOST:$PGPORT (default 127.0.0.1:5432): it starts the local Debian cluster
# when it is down, and installs PostgreSQL from Debian's packages when there
# is none. Tests and the quickstart call it; it is safe to run repeatedly.
set -euo pipefail

host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_isready >/dev/null 2>&1; then
  echo "PostgreSQL is not installed; installing it from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: run as root or install PostgreSQL yourself (apt-get install postgresql)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  # A fresh Debian cluster asks for passwords on TCP; the local test server
  # uses trust auth for loopback, as the development machines do.
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  done
fi
if ! command -v pg_isready >/dev/null 2>&1; then
  for bin in /usr/lib/postgresql/*/bin; do pgbin=$bin; done # the newest
  PATH="${pgbin:-/usr/lib/postgresql/bin}:$PATH"
fi

if ready; then exit 0; fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for dir in /etc/postgresql/*/; do
    v=$(basename "$dir")
    echo "starting PostgreSQL $v cluster 'main'" >&2
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  done
fi

for _ in $(seq 1 30); do
  if ready; then exit 0; fi
  sleep 1
done
echo "error: PostgreSQL does not answer on $host:$port; start it (pg_ctlcluster … main start) or set PGHOST/PGPORT" >&2
exit 1
