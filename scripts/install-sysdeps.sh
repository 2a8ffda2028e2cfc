#!/usr/bin/env bash
# Installs the Debian packages Công sở số needs, when we are root with apt; otherwise prints the
# exact command. `run`: OCR, PDF tools (poppler, NSS's certutil), Vietnamese fonts, WeasyPrint's
# libraries. `test`: chromium, SoftHSM 2 (a software PKCS#11 token for the signing tests), zbar-tools
# (zbarimg decodes the QR codes printed on receipts).
set -euo pipefail
what=${1:-run}
pkgs=(tesseract-ocr tesseract-ocr-vie poppler-utils fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libnss3-tools)
if [ "$what" = test ]; then pkgs=(chromium softhsm2 zbar-tools); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "→ cài gói hệ thống: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Thiếu gói hệ thống: ${missing[*]}. Hãy chạy với quyền root:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  [ "$what" = test ] && exit 0   # browser tests will be skipped with a clear reason
  exit 1
fi
