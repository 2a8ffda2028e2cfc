#!/usr/bin/env bash
# Serves Công sở số with gunicorn and the task worker, in the foreground; Ctrl-C stops both.
set -euo pipefail
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-3}
PY=.venv/bin/python
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "→ đang dừng Công sở số…"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT
if [ "${TASK_BACKEND:-database}" = rq ]; then
  $PY manage.py rqworker default &
else
  $PY manage.py db_worker --no-reload --queue-name '*' &
fi
pids+=($!)
# One clock for the deadline reminders of every module (settings.CLOCK_TASKS): it enqueues them
# for the worker (docs/decisions/0005).
$PY manage.py clock &
pids+=($!)
# Digitisation that got stuck (a worker died mid-way) goes back in the queue (decision 0006).
$PY manage.py documents_digitization_recover --every "${DIGITIZATION_RECOVER_SECONDS:-300}" &
pids+=($!)
# Changes reach the search index about a second after their commit, even while the worker runs
# long jobs (decision 0008).
$PY manage.py search_worker &
pids+=($!)
.venv/bin/gunicorn congso.wsgi:application --chdir src --bind "$HOST:$PORT" \
  --workers "$WEB_WORKERS" --access-logfile - --graceful-timeout 10 &
pids+=($!)
echo "→ Công sở số đang chạy tại http://$HOST:$PORT/  (Ctrl-C để dừng)"
wait -n "${pids[@]}"
