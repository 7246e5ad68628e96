#!/usr/bin/env bash
# Starts the task worker and the periodic scheduler (SMS catch-up every minute, tasks left running
# by a killed worker, the nightly recomputations at 02:15) in the background and the web server in
# the foreground; stopping the server (Ctrl+C) stops both.
set -euo pipefail
PORT="${PORT:-8000}"
# The links sent by SMS and e-mail (STOP, password links) name this server, whatever its port.
export PARCOURS_PUBLIC_URL="${PARCOURS_PUBLIC_URL:-http://127.0.0.1:${PORT}}"
PY=.venv/bin/python
# Alerts and compliance are recomputed nightly in production (docs/operations.md); once here,
# after seeding.
$PY manage.py recompute_alerts
$PY manage.py recompute_compliance
$PY manage.py generate_slots
$PY manage.py db_worker --interval 2 &
WORKER=$!
# The nightly jobs have just run: the scheduler waits for the next night.
$PY manage.py run_scheduler --skip-missed &
SCHEDULER=$!
trap 'kill $WORKER $SCHEDULER 2>/dev/null || true' EXIT INT TERM
$PY manage.py print_demo_accounts
echo "Parcours : http://127.0.0.1:${PORT}/  (Ctrl+C pour arrêter)"
$PY manage.py runserver "127.0.0.1:${PORT}"
