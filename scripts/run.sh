#!/usr/bin/env bash
# Start CASP for development: gunicorn on 127.0.0.1:8000, plus a Celery worker
# and beat when Redis answers. Ctrl-C stops them all (the embedded PostgreSQL
# keeps running so the next start is fast; `make stop-db` stops it).
set -euo pipefail
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
ADDR=${CASP_ADDR:-127.0.0.1:8000}
mkdir -p var/log
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

redis_up=$("$PY" -c 'import os,sys; from casp.runtime import redis_answers; print(int(redis_answers(os.environ.get("REDIS_URL","redis://127.0.0.1:6379/0"))))')
if [ "$redis_up" = "1" ]; then
  "$BIN/celery" -A casp worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 & pids+=($!)
  "$BIN/celery" -A casp beat --loglevel=INFO --schedule=var/celerybeat-schedule >var/log/beat.log 2>&1 & pids+=($!)
  echo "Celery worker and beat started (logs in var/log/)."
else
  echo "NOTICE: no Redis answers; Celery tasks run in-process after each commit (no worker, no beat)."
fi

cat <<MSG

  CASP is starting at http://$ADDR/   (health: http://$ADDR/healthz)
  Demo logins (password: ${DEMO_PASSWORD:-casp-demo-2026}):
    admin, dpo.islamabad, sho.kohsar, clerk.kohsar, io.kohsar,
    clerk.clifton, cro.islamabad, khidmat.kohsar, hotel.demo

MSG
"$BIN/gunicorn" casp.wsgi:application --bind "$ADDR" --workers 2 --threads 4 --timeout 60 --access-logfile - & pids+=($!)
wait -n "${pids[@]}"
