#!/usr/bin/env bash
# Installs the Debian packages the tests use: dpkg tools for the test-image fetcher, fonts for rendered text,
# Chromium for the server's browser test (driven by Playwright, which cannot download its own browser here),
# and the AWS CLI for the Rekognition-compatibility test (skipped when an `aws` is already on PATH).
# Safe to run repeatedly; needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
for pkg in dpkg fonts-dejavu-core chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v aws >/dev/null 2>&1 || need+=(awscli)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}"
fi
