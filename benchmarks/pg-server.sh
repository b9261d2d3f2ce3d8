#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the PostgreSQL benchmarks and prints the line to export:
#   eval "$(bash benchmarks/pg-server.sh start)"   # sets CONCORDAT_BENCH_PG
#   bash benchmarks/pg-server.sh stop
# Defaults as Debian ships them (fsync on, synchronous_commit on); data in /tmp/concordat-bench-pg, port 55871.
set -euo pipefail
dir="${CONCORDAT_BENCH_PG_DIR:-/tmp/concordat-bench-pg}"
port="${CONCORDAT_BENCH_PG_PORT:-55871}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bin" ]]; then
  echo "pg-server: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [[ ! -f "$dir/PG_VERSION" ]]; then
      mkdir -p "$dir"
      [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
      as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
    fi
    as_postgres "$bin/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
    PGOPTIONS=--client-min-messages=warning as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qtc "DROP DATABASE IF EXISTS bench" >/dev/null
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qtc "CREATE DATABASE bench" >/dev/null
    echo "export CONCORDAT_BENCH_PG='Host=127.0.0.1;Port=$port;Username=postgres;Database=bench'"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-server.sh start|stop" >&2
    exit 2
    ;;
esac
