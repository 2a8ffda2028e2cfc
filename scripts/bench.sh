#!/usr/bin/env bash
# Runs every benchmark under bench/ against its named peer, in one run on this machine.
# Each prints its own table with ratios; the combined report goes to bench/out/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
report=bench/out/report.txt
: > "$report"
export DJANGO_SETTINGS_MODULE=congso.test_settings PYTHONPATH=src
for script in bench/*/bench_*.py; do
  echo "══ $script" | tee -a "$report"
  .venv/bin/python "$script" "$@" 2>&1 | tee -a "$report"
done
echo "→ báo cáo: $report"
