#!/usr/bin/env bash
# The HTML pages in a real browser: the public knowledge base (/kb) and the console (/console) of every role.
# Starts the fake WeChat API (scripts/fake_wechat_api.py, which records the messages staff send), creates an admin,
# two staff and a volunteer token, starts `weiquan serve` on a fresh embedded store holding the knowledge base's seed
# and one hostile entry, and runs every scripts/browser/test_*.py (Selenium, headless Chromium; see
# scripts/browser/harness.py): each page at a phone width (390×844) and a desktop one (1280×900) with no alert, no
# horizontal overflow, no console errors, under 100 KB; the flows of each role; markup sent through WeChat shown as
# text. Screenshots go to screenshots/ at the top of the repository: look at them, a missing CJK font passes every
# DOM check and renders boxes.
#
#   scripts/browser-test.sh [NAME]   (NAME: run only the test files whose name contains it; builds if needed)
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
api_pid=""
# Never `kill 0`: with no server started yet that would signal this whole process group.
cleanup() {
    for process in $pid $api_pid; do
        kill "$process" 2>/dev/null || true
        wait "$process" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
swift build --product weiquan >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bin="$(swift build --show-bin-path)/weiquan"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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

# The desk is always open, so that a request for a person queues a handoff whatever the time of the run (the desk's
# browser test watches it arrive).
"$bin" config | python3 -c '
import json, sys
config = json.load(sys.stdin)
config["desk"]["office_hours"].update(weekdays=[1, 2, 3, 4, 5, 6, 7], sessions=["00:00-23:59"], holidays=[])
config["server"]["registry_refresh_seconds"] = 1
json.dump(config, sys.stdout, ensure_ascii=False)
' >"$work/config.json"

# One person of each role (a second staff member to transfer to); the tests sign in with these.
token() { "$bin" token create --data "$work/data" --name "$1" --role "$2" 2>/dev/null; }
export WQ_NAME_ADMIN="李主任" WQ_NAME_STAFF="张敏" WQ_NAME_STAFF2="刘洋" WQ_NAME_VOLUNTEER="陈同学"
WQ_TOKEN_ADMIN=$(token "$WQ_NAME_ADMIN" admin)
WQ_TOKEN_STAFF=$(token "$WQ_NAME_STAFF" staff)
WQ_TOKEN_STAFF2=$(token "$WQ_NAME_STAFF2" staff)
WQ_TOKEN_VOLUNTEER=$(token "$WQ_NAME_VOLUNTEER" volunteer)
export WQ_TOKEN_ADMIN WQ_TOKEN_STAFF WQ_TOKEN_STAFF2 WQ_TOKEN_VOLUNTEER WQ_BIN="$bin" WQ_DATA="$work/data"

api_port=$(free_port)
python3 scripts/fake_wechat_api.py "$api_port" &
api_pid=$!
export WQ_FAKE_API="http://127.0.0.1:$api_port" WQ_WECHAT_TOKEN="browsertest"

port=$(free_port)
WEIQUAN_WECHAT_TOKEN="$WQ_WECHAT_TOKEN" WEIQUAN_WECHAT_APPID="wxbrowsertest" WEIQUAN_WECHAT_APPSECRET="browsertest" \
    WEIQUAN_WECHAT_API_BASE="$WQ_FAKE_API" "$bin" serve --port "$port" --data "$work/data" --config "$work/config.json" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "browser test: the server did not start"; cat "$work/server.log"; exit 1; }

status=0
"$venv/bin/python" scripts/browser/run.py "http://127.0.0.1:$port" screenshots "${1:-}" || status=$?
if ((status)); then
    echo "browser test: FAILED; the server's log:"
    tail -n 50 "$work/server.log"
    exit "$status"
fi
echo "browser test: passed in $(($(date +%s) - started)) s; screenshots in screenshots/"
