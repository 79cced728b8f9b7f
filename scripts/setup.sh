#!/usr/bin/env bash
# Sets up a fresh Debian machine for ogi: the Debian packages it drives (Chromium for challenge
# pages, poppler and Tesseract for PDFs and scans, LibreOffice for DOC/WPS/XLS, a CJK font) and
# the npm dependencies from the lockfile. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  chromium
  poppler-utils poppler-data
  tesseract-ocr tesseract-ocr-chi-sim
  libreoffice-writer-nogui libreoffice-calc-nogui
  fonts-wqy-zenhei
  qpdf imagemagick
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (better-sqlite3 compiles from source: ~2 min)" >&2
  npm ci --no-audit --no-fund
fi
