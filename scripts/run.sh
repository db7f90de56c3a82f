#!/usr/bin/env bash
# Start CASP for development under honcho (Procfile): gunicorn on 127.0.0.1:8000, plus a Celery worker
# and beat when Redis answers. Each process is restarted when it dies (scripts/keep_running.sh); Ctrl-C
# stops them all (the embedded PostgreSQL keeps running so the next start is fast; `make stop-db` stops it).
set -euo pipefail
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
CASP_ADDR=${CASP_ADDR:-127.0.0.1:8000}
# Per checkout: the gunicorn control socket and the beat schedule, so two checkouts never share them.
CASP_RUN_DIR=${CASP_RUN_DIR:-var/run}
CASP_LOG_DIR=${CASP_LOG_DIR:-var/log}
export BIN CASP_ADDR CASP_RUN_DIR CASP_LOG_DIR
mkdir -p "$CASP_LOG_DIR" "$CASP_RUN_DIR"

redis_up=$("$PY" -c 'import os,sys; from casp.runtime import redis_answers; print(int(redis_answers(os.environ.get("REDIS_URL","redis://127.0.0.1:6379/0"))))')
if [ "$redis_up" = "1" ]; then
  processes=(web worker beat)
  echo "Celery worker and beat start too (logs in $CASP_LOG_DIR/)."
else
  processes=(web)
  echo "NOTICE: no Redis answers; Celery tasks run in-process after each commit (no worker, no beat)."
fi

cat <<MSG

  CASP is starting at http://$CASP_ADDR/   (health: http://$CASP_ADDR/healthz)
  Demo logins (password: ${DEMO_PASSWORD:-casp-demo-2026}):
    admin, dpo.islamabad, sho.kohsar, clerk.kohsar, io.kohsar,
    clerk.clifton, cro.islamabad, khidmat.kohsar, hotel.demo

MSG
exec "$BIN/honcho" --no-colour -f Procfile -e /dev/null start "${processes[@]}"
