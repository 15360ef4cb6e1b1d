#!/usr/bin/env bash
# The Swift suite alone (the README's test command, scripts/test-all.sh, runs it among every other check):
# installs the tools the tests drive, starts a throwaway PostgreSQL cluster, and runs
# `swift test` with any arguments given (e.g. `scripts/test.sh --filter Postgres`) against it. The cluster is
# stopped and deleted afterwards, whatever happens.
#
# With WEIQUAN_REQUIRE_POSTGRES=1 (set here) the PostgreSQL tests fail, rather than being skipped, if the
# database is missing. A plain `swift test` skips them.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-tools.sh

# Clusters of earlier runs that died before stopping theirs; then ours, owned by this shell.
scripts/test-postgres.sh sweep
export WEIQUAN_TEST_POSTGRES_OWNER=$$

# A state file of this run's own, so a second run (another worktree, a crashed run) does not share it.
WEIQUAN_TEST_POSTGRES_STATE="$(mktemp "${TMPDIR:-/tmp}/weiquan-test-postgres-url.XXXXXX")"
rm -f "$WEIQUAN_TEST_POSTGRES_STATE"
export WEIQUAN_TEST_POSTGRES_STATE
trap 'scripts/test-postgres.sh stop' EXIT
WEIQUAN_TEST_POSTGRES_URL="$(scripts/test-postgres.sh start)"
export WEIQUAN_TEST_POSTGRES_URL
export WEIQUAN_REQUIRE_POSTGRES=1

swift test "$@"
