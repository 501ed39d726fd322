#!/usr/bin/env bash
# Installs the Debian packages the tests use (dpkg tools for the test-image fetcher, fonts for rendered text).
# Safe to run repeatedly; needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
for pkg in dpkg fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${need[@]}"
fi
