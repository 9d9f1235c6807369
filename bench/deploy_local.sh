#!/usr/bin/env bash
# The production layout on this machine: gunicorn (4 workers) serving webapp:create_app()
# on the local PostgreSQL, rate limits in the local Redis, ONE scheduler process, TWO
# reminder dispatchers, and a local SMTP sink (aiosmtpd, messages kept in a Maildir).
#
#   bench/deploy_local.sh start     migrate, load the catalog and demo accounts, start all
#   bench/deploy_local.sh status    which processes run, and /healthz
#   bench/deploy_local.sh stop      stop them (by their recorded process ids)
#   bench/deploy_local.sh env       print the environment (eval "$(bench/deploy_local.sh env)")
#
# Settings (environment): BENCH_DB (lifepage_bench), PGHOST_URL (postgresql+psycopg://
# postgres@127.0.0.1:5432), BENCH_PORT (8077), SMTP_PORT (8025), WEB_CONCURRENCY (4),
# DISPATCHERS (2), RUN_DIR (/tmp/lifepage-deploy). Loopback addresses only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
BENCH_DB="${BENCH_DB:-lifepage_bench}"
PGHOST_URL="${PGHOST_URL:-postgresql+psycopg://postgres@127.0.0.1:5432}"
BENCH_PORT="${BENCH_PORT:-8077}"
SMTP_PORT="${SMTP_PORT:-8025}"
DISPATCHERS="${DISPATCHERS:-2}"
RUN_DIR="${RUN_DIR:-/tmp/lifepage-deploy}"

export DATABASE_URL="${DATABASE_URL:-$PGHOST_URL/$BENCH_DB}"
export RATELIMIT_STORAGE_URI="${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/0}"
export INSTANCE_PATH="${INSTANCE_PATH:-$RUN_DIR/instance}"
export MODEL_DIR="${MODEL_DIR:-$INSTANCE_PATH/models}"
export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:$SMTP_PORT}"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$BENCH_PORT}"
export GUNICORN_BIND="127.0.0.1:$BENCH_PORT"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-4}"
# The load test logs thousands of synthetic users in from one address (127.0.0.1):
# lift the per-address login limit for this bench layout only. Per-account limits stay.
export LOGIN_LIMIT_PER_ADDRESS="${LOGIN_LIMIT_PER_ADDRESS:-100000 per minute}"
export SCHEDULER_SWEEP_SECONDS="${SCHEDULER_SWEEP_SECONDS:-300}"
export SCHEDULER_DISPATCH_SECONDS="${SCHEDULER_DISPATCH_SECONDS:-10}"
export SCHEDULER_HEARTBEAT_SECONDS="${SCHEDULER_HEARTBEAT_SECONDS:-10}"
export PYTHONUNBUFFERED=1
export FLASK_APP=webapp

PIDS="$RUN_DIR/pids"
LOGS="$RUN_DIR/logs"
MAILDIR="$RUN_DIR/maildir"

psql_admin() { psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

start_proc() {  # name, command...: run in its own session, remember the pid
    local name="$1"
    shift
    if [[ -f "$PIDS/$name" ]] && kill -0 "$(cat "$PIDS/$name")" 2>/dev/null; then
        echo "  $name already running (pid $(cat "$PIDS/$name"))"
        return
    fi
    (cd "$ROOT" && exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null) &
    echo $! >"$PIDS/$name"
    echo "  $name: pid $!, log $LOGS/$name.log"
}

stop_proc() {  # name: TERM its process group, KILL after 15 s
    local name="$1" pid
    [[ -f "$PIDS/$name" ]] || return 0
    pid="$(cat "$PIDS/$name")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "  $name stopped (pid $pid)"
    fi
    rm -f "$PIDS/$name"
}

names() { printf "%s\n" smtp web scheduler; for i in $(seq "$DISPATCHERS"); do echo "dispatch$i"; done; }

cmd_start() {
    mkdir -p "$PIDS" "$LOGS" "$MAILDIR"/{cur,new,tmp} "$INSTANCE_PATH" "$MODEL_DIR"
    redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
    if [[ "$(psql_admin -c "select 1 from pg_database where datname = '$BENCH_DB'")" != 1 ]]; then
        psql_admin -c "create database $BENCH_DB"
        echo "created database $BENCH_DB"
    fi
    echo "migrations, catalog and demo accounts (idempotent):"
    (cd "$ROOT" && "$VENV/bin/flask" --app webapp db upgrade)
    (cd "$ROOT" && "$VENV/bin/flask" --app webapp seed demo --no-population)
    echo "starting:"
    start_proc smtp "$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
        -c aiosmtpd.handlers.Mailbox "$MAILDIR"
    start_proc web "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py 'webapp:create_app()'
    start_proc scheduler "$VENV/bin/flask" --app webapp scheduler
    for i in $(seq "$DISPATCHERS"); do
        start_proc "dispatch$i" "$VENV/bin/flask" --app webapp reminders dispatch
    done
    for _ in $(seq 60); do
        if curl -fsS "http://127.0.0.1:$BENCH_PORT/healthz?scope=web" >/dev/null 2>&1; then
            echo "up: http://127.0.0.1:$BENCH_PORT  (stop: bench/deploy_local.sh stop)"
            return 0
        fi
        sleep 1
    done
    echo "gunicorn did not answer within 60 s; see $LOGS/web.log" >&2
    exit 1
}

cmd_stop() {
    for name in $(names | tac); do stop_proc "$name"; done
}

cmd_status() {
    for name in $(names); do
        if [[ -f "$PIDS/$name" ]] && kill -0 "$(cat "$PIDS/$name")" 2>/dev/null; then
            echo "  $name running (pid $(cat "$PIDS/$name"))"
        else
            echo "  $name not running"
        fi
    done
    curl -sS "http://127.0.0.1:$BENCH_PORT/healthz" && echo || true
}

cmd_env() {
    for v in DATABASE_URL RATELIMIT_STORAGE_URI INSTANCE_PATH MODEL_DIR SMTP_URL PUBLIC_URL \
        LOGIN_LIMIT_PER_ADDRESS; do
        printf 'export %s=%q\n' "$v" "${!v}"
    done
    printf 'export BENCH_URL=%q MAILDIR=%q\n' "http://127.0.0.1:$BENCH_PORT" "$MAILDIR"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
