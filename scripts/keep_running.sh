#!/usr/bin/env bash
# keep_running.sh NAME [--log FILE] COMMAND...
# Run COMMAND and start it again whenever it exits, so that one crashed process (a worker killed by the
# OOM killer, a beat that lost Redis) comes back on its own and never takes the others down. The pause
# before a restart is 1 s, doubling up to 30 s while the command keeps dying within a minute of starting.
# With --log, COMMAND's output is appended to FILE; this script's own notices go to stderr.
# SIGTERM or SIGINT (honcho sends them to the whole process group) stop the command and the loop.
set -u
name=$1
shift
log=
if [ "${1:-}" = "--log" ]; then
  log=$2
  shift 2
fi
child=
stopping=
stop() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; fi
}
trap stop INT TERM
delay=1
while [ -z "$stopping" ]; do
  started=$SECONDS
  if [ -n "$log" ]; then "$@" >>"$log" 2>&1 & else "$@" & fi
  child=$!
  echo "keep_running: $name started (pid $child)" >&2
  status=0
  wait "$child" || status=$?
  # A trapped signal ends `wait` early: let the command finish its own shutdown.
  while kill -0 "$child" 2>/dev/null; do wait "$child" || status=$?; done
  child=
  [ -n "$stopping" ] && break
  if (( SECONDS - started > 60 )); then delay=1; fi
  echo "keep_running: $name exited with status $status; restarting in ${delay}s" >&2
  sleep "$delay" &
  wait $! || true
  delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
done
echo "keep_running: $name stopped" >&2
