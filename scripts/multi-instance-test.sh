#!/usr/bin/env bash
# Two `weiquan serve` instances on one PostgreSQL database, over real sockets (scripts/multi_instance_test.py has
# the scenarios): messages of one applicant alternating between them, retries on the other instance, claims at
# once, the outbox with its delivering instance SIGKILLed, the database stopped and restarted under load.
#
#   scripts/multi-instance-test.sh [scenario…]     (order retries claims outbox database; default all)
#
# Uses the throwaway cluster of scripts/test-postgres.sh (its own, with its own state file, so that it can stop
# and restart it without disturbing a test run's cluster), and a fresh database in it.
set -euo pipefail
cd "$(dirname "$0")/.."
export WEIQUAN_TEST_POSTGRES_STATE="$PWD/.build/multi-instance-postgres.url"
export WEIQUAN_TEST_POSTGRES_OWNER=$$  # its cluster is swept by a later test run should this one die
swift build --product weiquan >/tmp/weiquan-multi-build.log 2>&1 || { cat /tmp/weiquan-multi-build.log; exit 1; }
bin="$(swift build --show-bin-path)/weiquan"
work=$(mktemp -d)
trap 'scripts/test-postgres.sh stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/test-postgres.sh stop >/dev/null 2>&1 || true
base=$(scripts/test-postgres.sh start)
database="multi_$(date +%s)"
psql "$base" -qc "CREATE DATABASE $database" >/dev/null
store="${base%/*}/$database"
# The desk is always open, so that a request for a person queues a handoff whatever the time of the run.
"$bin" config | python3 -c '
import json, sys
config = json.load(sys.stdin)
config["desk"]["office_hours"].update(weekdays=[1, 2, 3, 4, 5, 6, 7], sessions=["00:00-23:59"], holidays=[])
json.dump(config, sys.stdout, ensure_ascii=False)
' >"$work/config.json"
python3 scripts/multi_instance_test.py "$bin" "$store" "$work/config.json" "$PWD/scripts/test-postgres.sh" "$@"
