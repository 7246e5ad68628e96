#!/usr/bin/env bash
# Throughput of each page as a share of the request floor's, under one gunicorn configuration
# (2 sync workers on 127.0.0.1; locust headless in a second process on the same machine).
#   bash bench/load.sh 60s 20                          # demo data, SQLite in var/load/ (rebuilt)
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x LOCUST_ACCOUNTS=cpip.demo \
#       bash bench/load.sh 60s 20                      # a PostgreSQL database already seeded
# Arguments: run time of each page (default 60s), simulated users (default 20). PAGES: the
# locust tags to run, one after the other (default: the floor and the CPIP pages; add `mix` for
# a CPIP's day with think time). LOCUST_ACCOUNTS: who signs in (without DATABASE_URL:
# cpip.demo; with it, default: the national dataset's cpip.n00001…, see bench/locustfile.py).
# Each page runs alone with no think time, so its requests/s is the server's capacity for it;
# requests/s are counted from the last sign-in to the end (locust's per-second history).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_TIME="${1:-60s}"
USERS="${2:-20}"
PORT="${BENCH_PORT:-8765}"
PAGES="${PAGES:-floor caseload person agenda todo note-search name-search}"
export PARCOURS_DEMO=1 DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-60}"
if [ -z "${DATABASE_URL:-}" ]; then
    export PARCOURS_VAR_DIR=var/load LOCUST_ACCOUNTS="${LOCUST_ACCOUNTS:-cpip.demo}"
    rm -rf var/load && mkdir -p var/load
    .venv/bin/python manage.py migrate --noinput -v0
    .venv/bin/python manage.py seed_demo >/dev/null
    .venv/bin/python manage.py recompute_alerts >/dev/null
    .venv/bin/python manage.py recompute_compliance >/dev/null
fi
OUT="$(mktemp -d /tmp/parcours-load.XXXXXX)"

.venv/bin/gunicorn config.wsgi:application --workers 2 --bind "127.0.0.1:${PORT}" \
    --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:${PORT}/health/" >/dev/null 2>&1 && break
    sleep 0.5
done

DATABASE="SQLite (demo, var/load/)"
[ -n "${DATABASE_URL:-}" ] && DATABASE="${DATABASE_URL%%://*} (${DATABASE_URL##*/})"
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); database" \
    "${DATABASE}; ${USERS} users, ${RUN_TIME} per page"
for page in $PAGES; do
    think=0
    [ "$page" = mix ] && think=1
    LOCUST_THINK=$think .venv/bin/locust -f bench/locustfile.py --host "http://127.0.0.1:${PORT}" \
        --headless --tags "$page" -u "$USERS" -r "$USERS" --run-time "$RUN_TIME" \
        --csv "$OUT/$page" --csv-full-history --only-summary --loglevel WARNING >"$OUT/$page.log" 2>&1 || true
done

.venv/bin/python - "$OUT" $PAGES <<'PY'
"""req/s of each page after the last sign-in, from locust's per-second history (cumulative
counts per request name); median and p95 from the whole run."""
import csv
import sys
from collections import defaultdict
from pathlib import Path

out, pages = Path(sys.argv[1]), sys.argv[2:]
results = {}
for page in pages:
    history = defaultdict(dict)  # timestamp -> {name: cumulative count}
    for row in csv.DictReader(open(out / f"{page}_stats_history.csv", encoding="utf-8")):
        if row["Name"] != "Aggregated":
            counts = history[int(row["Timestamp"])]
            counts[row["Name"]] = counts.get(row["Name"], 0) + int(row["Total Request Count"])
    times = sorted(history)
    signed_in = history[times[-1]].get("sign-in", 0)
    start = next(t for t in times if history[t].get("sign-in", 0) == signed_in)
    summary = {
        row["Name"]: row
        for row in csv.DictReader(open(out / f"{page}_stats.csv", encoding="utf-8"))
    }
    for name in sorted(history[times[-1]]):
        if name == "sign-in":
            continue
        done = history[times[-1]][name] - history[start].get(name, 0)
        window = max(1, times[-1] - start)
        results[page, name] = (done / window, window, summary[name])
floor = results.get(("floor", "floor"), (None,))[0]
print("| Page (run alone) | req/s | share of the floor | window (s) | failures | median (ms) | p95 (ms) |")
print("|---|---|---|---|---|---|---|")
for (page, name), (rps, window, row) in results.items():
    share = f"{rps / floor:.0%}" if floor and page != "mix" else ""
    label = name if page == name else f"{page}: {name}"
    print(
        f"| {label} | {rps:.1f} | {share} | {window} | {row['Failure Count']} | "
        f"{row['50%']} | {row['95%']} |"
    )
PY
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Files: $OUT"
