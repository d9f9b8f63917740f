#!/usr/bin/env bash
# Set up everything presskit needs on this machine, idempotently:
#   scripts/setup.sh build   system libraries for WeasyPrint, a virtual environment, presskit
#   scripts/setup.sh test    the same, plus test tools (poppler, qpdf, Chromium, Java, Node.js),
#                            test dependencies and the browser tests' npm packages
# Debian packages are installed only when missing; as root directly, otherwise through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-build}"
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

# WeasyPrint needs Pango and HarfBuzz; without libharfbuzz-subset0 it falls back to a
# 4x slower font subsetter. DejaVu gives every kit the same fonts on every machine; the Noto
# packages give glyphs for Arabic and other scripts (fonts-noto-core) and for Chinese, Japanese
# and Korean (fonts-noto-cjk), so no text in a translated kit renders as a missing-glyph box.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
          fonts-dejavu-core fonts-noto-core fonts-noto-cjk shared-mime-info)
if [ "$mode" = test ]; then
  # The browser tests drive Debian's Chromium (Playwright cannot download browsers here), run
  # the Nu HTML Checker on Java, and install axe-core and vnu-jar with npm.
  packages+=(poppler-utils qpdf chromium)
  command -v java >/dev/null || packages+=(default-jre-headless)
  command -v npm >/dev/null || packages+=(nodejs npm)
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

# axe-core and vnu-jar for the browser tests, pinned by tests/browser/package-lock.json.
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
if [ "$mode" = test ]; then
  browser=tests/browser
  if [ ! -d "$browser/node_modules" ] || [ "$browser/package-lock.json" -nt "$browser/node_modules" ]; then
    echo "setup: installing the browser tests' npm packages into $browser/node_modules"
    (cd "$browser" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    touch "$browser/node_modules"
  fi
fi
