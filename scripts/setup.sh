#!/usr/bin/env bash
# Set up everything presskit needs on this machine, idempotently:
#   scripts/setup.sh build   system libraries for WeasyPrint, a virtual environment, presskit
#   scripts/setup.sh test    the same, plus test tools (poppler, qpdf) and test dependencies
# Debian packages are installed only when missing; as root directly, otherwise through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-build}"
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

# WeasyPrint needs Pango and HarfBuzz; without libharfbuzz-subset0 it falls back to a
# 4x slower font subsetter. DejaVu gives every kit the same fonts on every machine.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
          fonts-dejavu-core shared-mime-info)
if [ "$mode" = test ]; then
  packages+=(poppler-utils qpdf)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: please install these system packages (no apt-get here): ${missing[*]}" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1
    fi
  fi
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi

extras=""
[ "$mode" = test ] && extras="[test]"
stamp="$VENV/.presskit-installed-$mode"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing presskit$extras into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".$extras"
  touch "$stamp"
fi
