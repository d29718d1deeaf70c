#!/bin/sh
# Install the Debian 12 packages huoyan builds, tests and runs with. Idempotent and quiet when
# everything is present; run as root (or through sudo) on a fresh machine.
set -eu

PACKAGES="
build-essential cmake pkg-config clang-format
libgdal-dev gdal-bin libhdf4-alt-dev
libopencv-dev
libturbojpeg0-dev
libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg
libcunit1-dev
libsqlite3-dev sqlite3
libcurl4-openssl-dev libssl-dev
libxml2-utils
libmosquitto-dev mosquitto mosquitto-clients
libmicrohttpd-dev
chromium fonts-wqy-zenhei
libcyaml-dev
libyaml-dev
libjansson-dev
python3 python3-numpy python3-gdal time
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js and npm for the review page's browser test: Debian's, unless the machine has its own
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"

if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=sudo
        else
            echo "deps: missing packages:$missing; run as root to install them" >&2
            exit 1
        fi
    else
        SUDO=
    fi
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# playwright-core (pinned in tests/page/package-lock.json) drives Debian's Chromium; it never
# downloads a browser of its own
PAGE_DIR=$(cd "$(dirname "$0")/../tests/page" && pwd)
if [ ! -d "$PAGE_DIR/node_modules/playwright-core" ]; then
    echo "deps: npm ci in tests/page" >&2
    (cd "$PAGE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
