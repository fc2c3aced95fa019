#!/usr/bin/env bash
# `make bench`: the public site at national scale (the seed + 400 clusters / 80,000 organisations),
# served by gunicorn (2 workers, DEBUG off) on a throwaway PostgreSQL 15, measured with wrk against
# 127.0.0.1 only. Writes benchmarks/results/bench.md (table, page weights, admin timings, machine)
# and benchmarks/results/plans.txt (EXPLAIN ANALYZE of the member and cluster searches).
# Every load run is bounded (BENCH_DURATION seconds a URL). Needs root (PostgreSQL runs as `postgres`).
set -euo pipefail
cd "$(dirname "$0")/.."
unset DJANGO_SETTINGS_MODULE VIRTUAL_ENV

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PY="$PWD/.venv/bin/python"
export BENCH_DURATION=${BENCH_DURATION:-5}
export BENCH_SEED=${BENCH_SEED:-2026}

if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "bench: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi

work=$(mktemp -d /tmp/bench.XXXXXX)
chmod 755 "$work"
pg_dir="$work/pg"
cleanup() {
  status=$?
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "bench: throwaway PostgreSQL"
mkdir -p "$pg_dir"
chown postgres "$pg_dir"
pg_port=$(free_port)
runuser -u postgres -- "$PG_BIN/initdb" -D "$pg_dir/data" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" -w start >/dev/null
runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" bench

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/bench"
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_STATIC_ROOT="$work/static"
export BENCH_WORK="$work"

echo "bench: migrate, seed, national demo data"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_seed_data -v0
start=$SECONDS
"$PY" manage.py generate_demo_data --clusters 400 --members 80000 --seed "$BENCH_SEED" --force
echo "bench: demo data generated in $((SECONDS - start)) s"
# What autovacuum does soon after a load: visibility map (index-only scans) and statistics.
runuser -u postgres -- "$PG_BIN/vacuumdb" -h 127.0.0.1 -p "$pg_port" --analyze --quiet bench
"$PY" manage.py collectstatic --noinput -v0
DJANGO_SECRET_KEY=compilemessages "$PY" manage.py compilemessages -v0 --ignore=.venv >/dev/null 2>&1 || true

mkdir -p benchmarks/results
"$PY" benchmarks/bench.py
if [ "${BENCH_LIGHTHOUSE:-true}" = "true" ]; then
  if [ -x /usr/bin/chromium ]; then
    "$PY" benchmarks/lighthouse.py
  else
    echo "bench: no Chromium at /usr/bin/chromium, Lighthouse skipped (apt-get install chromium)"
  fi
fi
