#!/usr/bin/env bash
# Headless Locust runs against the local gunicorn layout (bench/deploy_local.sh start) on
# PostgreSQL with the bench population (bench/population.py): mixed citizen traffic
# (bench/locustfile.py) at 50 and at 200 concurrent users, each bounded in time.
# Prints, per run and per request type: requests, failures, throughput, p50/p95/p99 (ms).
#
#   bench/load.sh                 50 users for 2 min, then 200 users for 2 min
#   USERS="50" RUN_TIME=1m bench/load.sh
#
# Settings: BENCH_URL (http://127.0.0.1:8077, loopback only), USERS ("50 200"),
# RUN_TIME (2m), LOCUST_WAIT (think time, "0.5-2" s), OUT (/tmp/lifepage-load),
# LOCUST_SCENARIO (mixed; "page" = only the personal page), RESET_STATS (1 = count from the
# moment every user has logged in).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
BENCH_URL="${BENCH_URL:-http://127.0.0.1:8077}"
USERS="${USERS:-50 200}"
RUN_TIME="${RUN_TIME:-2m}"
OUT="${OUT:-/tmp/lifepage-load}"
export LOCUST_WAIT="${LOCUST_WAIT:-0.5-2}"
export LOCUST_SCENARIO="${LOCUST_SCENARIO:-mixed}"

case "$BENCH_URL" in
    http://127.0.0.1:* | http://localhost:* | http://\[::1\]:*) ;;
    *) echo "refusing a non-loopback target: $BENCH_URL" >&2; exit 2 ;;
esac
curl -fsS "$BENCH_URL/healthz?scope=web" >/dev/null || {
    echo "nothing healthy at $BENCH_URL: run bench/deploy_local.sh start" >&2
    exit 1
}
mkdir -p "$OUT"

for users in $USERS; do
    (( users <= 500 )) || { echo "at most 500 users" >&2; exit 2; }
    spawn=$(( users / 10 > 5 ? users / 10 : 5 ))
    prefix="$OUT/${LOCUST_SCENARIO}_${users}"
    echo "== $users users, $RUN_TIME, spawn $spawn/s, think time $LOCUST_WAIT s, $BENCH_URL"
    LOCUST_SUMMARY="${prefix}_final.csv" "$VENV/bin/locust" -f "$ROOT/bench/locustfile.py" --headless --only-summary \
        --host "$BENCH_URL" -u "$users" -r "$spawn" --run-time "$RUN_TIME" \
        --stop-timeout 10 --csv "$prefix" --loglevel WARNING ${RESET_STATS:+--reset-stats} \
        >"$prefix.log" 2>&1 || true
    "$VENV/bin/python" "$ROOT/bench/ratio.py" --summarise "${prefix}_final.csv" \
        --title "$users users, $RUN_TIME"
    if [[ -s "${prefix}_failures.csv" ]] && (( $(wc -l <"${prefix}_failures.csv") > 1 )); then
        echo "failures:"
        cat "${prefix}_failures.csv"
    fi
done
