#!/usr/bin/env bash
# Crash test: SIGKILL the server in the middle of a load of aid-request completions, restart it, and
# check that every case whose confirmation reply was received is present and intact.
#
#   scripts/crash-test.sh [rounds]        (builds the debug binary if needed; run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
work=$(mktemp -d)
swift build --product weiquan >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bin="$(swift build --show-bin-path)/weiquan"
trap 'kill -9 ${pid:-0} 2>/dev/null || true; rm -rf "$work"' EXIT
export WEIQUAN_WECHAT_TOKEN=crashtesttoken
port=$((20000 + RANDOM % 20000))

start_server() {
    "$bin" serve --port "$port" --data "$work/data" >>"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "crash test: the server did not start"; cat "$work/server.log"; exit 1
}

total=0
for round in $(seq 1 "$rounds"); do
    start_server
    # Load: 16 applicants at a time complete aid requests; every confirmation received is logged at once.
    python3 - "$port" "$work/acknowledged-$round.tsv" "$round" <<'PY' &
import sys, threading
sys.path.insert(0, "scripts")
from wechat_client import Client, AID_ANSWERS, CASE_ID, text_message, reply_content
port, log_path, round_ = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
log = open(log_path, "a", buffering=1)
lock = threading.Lock()
def worker(n):
    client = Client(port, "crashtesttoken")
    conversation = 0
    try:
        while True:
            user = f"crash-{round_}-{n}-{conversation}"
            for step, answer in enumerate(AID_ANSWERS):
                status, body = client.post(text_message(user, answer, (round_ * 10**9) + n * 10**6 + conversation * 100 + step))
                if status != 200:
                    raise RuntimeError(f"status {status}")
            found = CASE_ID.search(reply_content(body))
            if found:
                with lock:
                    log.write(f"{found.group(0)}\t{user}\n")
            conversation += 1
    except Exception:
        return  # the server was killed
threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
for thread in threads: thread.start()
for thread in threads: thread.join()
PY
    loader=$!
    sleep "$(python3 -c 'import random; print(round(random.uniform(1.5, 4.0), 2))')"
    kill -9 "$pid"
    wait "$loader" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    acknowledged=$(wc -l <"$work/acknowledged-$round.tsv")
    if [ "$acknowledged" -eq 0 ]; then echo "crash test: round $round acknowledged no case before the kill"; cat "$work/server.log"; exit 1; fi
    # Restart on the same data (recovering a possibly torn journal), then read the cases back.
    start_server
    "$bin" cases export --format json --data "$work/data" >"$work/cases.json"
    python3 - "$work/cases.json" "$work"/acknowledged-*.tsv <<'PY'
import json, sys
cases = {c["id"]: c for c in json.load(open(sys.argv[1]))}
missing, broken, checked = [], [], 0
for path in sys.argv[2:]:
    for line in open(path):
        case_id, user = line.split()
        checked += 1
        record = cases.get(case_id)
        if record is None:
            missing.append(case_id)
        elif record["applicant"] != user or record["fields"].get("phone") != "13800138000" \
                or record["fields"].get("ip_number") != "201310268509.X" or record["kind"] != "aid_request":
            broken.append(case_id)
if missing or broken:
    print(f"crash test: LOST {len(missing)} {missing[:5]} BROKEN {len(broken)} {broken[:5]} of {checked}")
    sys.exit(1)
print(f"crash test: all {checked} acknowledged cases present and intact ({len(cases)} cases stored)")
PY
    # The restarted service still works.
    python3 - "$port" <<'PY'
import sys
sys.path.insert(0, "scripts")
from wechat_client import Client, text_message, reply_content
status, body = Client(int(sys.argv[1]), "crashtesttoken").post(text_message("after-restart", "你好", 1))
assert status == 200 and reply_content(body), (status, body)
PY
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    total=$((total + acknowledged))
done
echo "crash test: $rounds rounds, $total acknowledged cases, none lost"
