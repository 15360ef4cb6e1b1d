#!/usr/bin/env bash
# Every test CI runs, in CI's order, on this machine: the formatting check, the whole Swift suite against a
# throwaway PostgreSQL (scripts/test.sh: installs wechatpy and PostgreSQL if missing), the crash test of the
# embedded store, two instances on one database, the desk API against its OpenAPI document (schemathesis), and the
# HTML pages in headless Chromium (installs chromium, chromium-driver, CJK fonts and Selenium if missing).
# `.ci/run` is exactly this command; `scripts/test.sh` alone runs the Swift suite (and takes `swift test` options).
set -euo pipefail
cd "$(dirname "$0")/.."
swift --version
# swift-format ships with the toolchain; the configuration is .swift-format at the top.
swift format lint --strict --recursive Sources Tests bench Package.swift
scripts/test.sh
scripts/crash-test.sh 2
# Two serve instances on one throwaway PostgreSQL database, over real sockets.
scripts/multi-instance-test.sh
# The desk API against its OpenAPI document (schemathesis, from PyPI if missing) on a running server.
scripts/api-contract-test.sh
# The public HTML page (/kb) in headless Chromium at a phone and a desktop width (Debian's chromium, Selenium).
scripts/browser-test.sh
