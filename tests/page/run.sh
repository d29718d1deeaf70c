#!/bin/sh
# The review page in headless Chromium: serve the samples' scene through `huoyan serve`, then
# drive the page with review.test.js. The screenshot stays in WORKDIR as a test artefact.
# Usage: tests/page/run.sh PATH/TO/huoyan WORKDIR
set -u
HY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
W=$2
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$W"
mkdir -p "$W"
if [ ! -x /usr/bin/chromium ] || [ ! -d "$HERE/node_modules/playwright-core" ]; then
    echo "FAIL: /usr/bin/chromium or tests/page/node_modules missing: run make deps" >&2
    exit 1
fi
"$HY" samples "$W/s" > /dev/null 2>&1 || { echo "FAIL: samples" >&2; exit 1; }
mkdir -p "$W/ev"
"$HY" scan --db "$W/page.db" --townships "$W/s/townships.geojson" --evidence "$W/ev" "$W/s/landsat" > /dev/null 2>&1
"$HY" watch --db "$W/page.db" --camera cam-e --evidence "$W/ev" "$W/s/camera/clip.mp4" > /dev/null 2>&1
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$W/page.yaml" <<YAML
store: {sqlite: $W/page.db}
townships: {path: $W/s/townships.geojson}
server:
  listen: 127.0.0.1:$PORT
  tokens:
    - {token_env: HY_T_OFFICER, role: officer, townships: ["419901002"]}
    - {token_env: HY_T_ANALYST, role: analyst}
YAML
HY_T_OFFICER=officer-0123456789abcdef HY_T_ANALYST=analyst-0123456789abcdef \
    "$HY" serve --config "$W/page.yaml" --evidence "$W/ev" > "$W/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
    curl -s "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
    sleep 0.1
done
node "$HERE/review.test.js" "http://127.0.0.1:$PORT" officer-0123456789abcdef analyst-0123456789abcdef \
    "$W/review.png"
rc=$?
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
exit $rc
