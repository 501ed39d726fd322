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

# Node packages the parity tests run (tests/node/*.mjs) live in <repo>/.cache/node; one package per line below.
# The registry is the user's own npm configuration (or ZOO_NPM_REGISTRY when set).
node_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cache/node"
node_dep() {
  local spec="$1" name="${1%@*}"
  [ -f "$node_root/node_modules/$name/package.json" ] && return 0
  command -v npm >/dev/null || { echo "install-test-deps: npm is required for $spec" >&2; return 1; }
  mkdir -p "$node_root"
  local registry=()
  [ -n "${ZOO_NPM_REGISTRY:-}" ] && registry=(--registry "$ZOO_NPM_REGISTRY")
  npm install --prefix "$node_root" --no-audit --no-fund --loglevel=error "${registry[@]}" "$spec"
}
node_dep @tensorflow/tfjs@4.22.0
