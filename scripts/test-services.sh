#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on 127.0.0.1 for the distributed tests, in a temporary folder:
#   eval "$(scripts/test-services.sh start)"   # exports OGI_TEST_PG_URL and OGI_TEST_REDIS_URL
#   scripts/test-services.sh stop
# Needs Debian's postgresql and redis-server. PostgreSQL refuses to run as root: as root, the
# cluster belongs to the postgres user.
set -euo pipefail
DIR=${OGI_SERVICES_DIR:-/tmp/ogi-test-services}
PG_PORT=${OGI_TEST_PG_PORT:-55432}
REDIS_PORT=${OGI_TEST_REDIS_PORT:-56379}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    if [ ! -d "$DIR/pg" ]; then
      as_pg "$PGBIN/initdb" -D "$DIR/pg" -U ogi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_pg "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w -o "-h 127.0.0.1 -p $PG_PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U ogi -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = 'ogi'" | grep -q 1 \
      || as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U ogi ogi
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --dir "$DIR" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --maxmemory-policy noeviction
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "export OGI_TEST_PG_URL=postgres://ogi@127.0.0.1:$PG_PORT/ogi"
    echo "export OGI_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
    ;;
  stop)
    [ -f "$DIR/redis.pid" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    [ -d "$DIR/pg" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/pg" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
