#!/usr/bin/env bash
# Installs the Python tools the test suite drives: wechatpy (with the `cryptography` backend), used by
# Tests/WeChatChannelTests/WechatpyInteropTests.swift through scripts/wechatpy_interop.py to check that the
# Swift safe-mode cipher and WeChat's reference-compatible Python implementation understand each other.
#
# Idempotent and quiet: does nothing when the pinned version already imports with its crypto backend.
# Run it before `swift test` (CI does).
set -euo pipefail

WECHATPY_VERSION="1.8.18"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "install-test-tools: $PYTHON not found; install Python 3 first" >&2
    exit 1
fi

installed() {
    "$PYTHON" - "$WECHATPY_VERSION" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
import cryptography  # noqa: F401  (the backend wechatpy.crypto needs)
from wechatpy.crypto import WeChatCrypto  # noqa: F401
sys.exit(0 if version("wechatpy") == sys.argv[1] else 1)
PY
}

if installed; then
    exit 0
fi

PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-input \
    "wechatpy[cryptography]==${WECHATPY_VERSION}"

if ! installed; then
    echo "install-test-tools: wechatpy ${WECHATPY_VERSION} was installed but does not import" >&2
    exit 1
fi
