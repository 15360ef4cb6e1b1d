#!/usr/bin/env bash
# The public HTML pages in a real browser: starts `weiquan serve` on a fresh embedded store holding the knowledge
# base's seed entries and one hostile entry (markup in its title, question and answer), and runs
# scripts/browser_tests.py (Selenium, headless Chromium) against `GET /kb` at a phone width (390×844) and a desktop
# one (1280×900): title and heading, every entry, the hostile markup shown as text and never run, no horizontal
# overflow, no console errors, a page under 100 KB. Screenshots go to screenshots/ at the top of the repository
# (kb-390.png, kb-1280.png): look at them, a missing CJK font passes every DOM check and renders boxes.
#
#   scripts/browser-test.sh        (builds the debug binary if needed; run from anywhere)
#
# Installs what is missing: Debian's chromium, chromium-driver and two fonts (apt-get), and Selenium from PyPI into
# a virtual environment kept in .build/browser-venv, so that a rerun installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

packages=(chromium chromium-driver fonts-wqy-zenhei fonts-liberation)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "browser test: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
venv=.build/browser-venv
if ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
    echo "browser test: installing selenium into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'selenium>=4.11,<5'
fi
# Selenium Manager must not go online: the driver's path is given explicitly.
export SE_OFFLINE=true SE_AVOID_STATS=true

work=$(mktemp -d)
pid=""
# Never `kill 0`: with no server started yet that would signal this whole process group.
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
swift build --product weiquan >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bin="$(swift build --show-bin-path)/weiquan"

# The seed, then one entry whose every text is markup that must be shown, never run.
"$bin" kb import --data "$work/data" intents/knowledge-seed.json >/dev/null
cat >"$work/hostile.json" <<'JSON'
{
  "description": "browser test: markup in every text of an entry",
  "entries": [
    {
      "id": "kb-browser-test-markup",
      "title": "<script>alert(1)</script> \"><img src=x onerror=alert(2)>",
      "question": "问题里的标记 <script>alert(1)</script> \"><img src=x onerror=alert(2)> 应当原样显示吗？",
      "answer": "应当原样显示 <script>alert(1)</script> \"><img src=x onerror=alert(2)>，不得执行。",
      "tags": ["测试"]
    }
  ]
}
JSON
"$bin" kb import --data "$work/data" "$work/hostile.json" >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "browser test: the server did not start"; cat "$work/server.log"; exit 1; }

status=0
"$venv/bin/python" scripts/browser_tests.py "http://127.0.0.1:$port" intents/knowledge-seed.json screenshots \
    || status=$?
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if ((status)); then
    echo "browser test: FAILED; the server's log:"
    tail -n 50 "$work/server.log"
    exit "$status"
fi
echo "browser test: passed in $(($(date +%s) - started)) s; screenshots in screenshots/"
