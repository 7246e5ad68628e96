#!/usr/bin/env bash
# Load test against the national dataset: gunicorn (2 workers, 127.0.0.1) on DATABASE_URL, locust
# headless in a second process, then requests/s, p95 and errors.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/national_001 bash bench/load.sh 60s 40
# Arguments: run time (default 60s), simulated users (default 40). LOCUST_CPIPS: how many
# generated CPIP accounts to spread the users over (default: the number of users).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_TIME="${1:-60s}"
USERS="${2:-40}"
PORT="${BENCH_PORT:-8765}"
: "${DATABASE_URL:?DATABASE_URL must point to a database filled by manage.py bench_data}"
export DATABASE_URL PARCOURS_DEMO=1 DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-60}"
export LOCUST_CPIPS="${LOCUST_CPIPS:-$USERS}"
OUT="$(mktemp -d /tmp/parcours-load.XXXXXX)"

.venv/bin/gunicorn config.wsgi:application --workers 2 --bind "127.0.0.1:${PORT}" \
    --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:${PORT}/health/" >/dev/null 2>&1 && break
    sleep 0.5
done

echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); ${USERS} users, ${RUN_TIME}"
.venv/bin/locust -f bench/locustfile.py --host "http://127.0.0.1:${PORT}" --headless \
    -u "$USERS" -r "$(( USERS > 20 ? USERS / 4 : 5 ))" --run-time "$RUN_TIME" \
    --csv "$OUT/load" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || true

.venv/bin/python - "$OUT/load_stats.csv" <<'PY'
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print("| Request | requests | failures | req/s | median (ms) | p95 (ms) | p99 (ms) |")
print("|---|---|---|---|---|---|---|")
for row in rows:
    print(
        f"| {row['Name'] or row['Type']} | {row['Request Count']} | {row['Failure Count']} | "
        f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
    )
PY
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Files: $OUT"
