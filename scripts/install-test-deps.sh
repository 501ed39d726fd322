#!/usr/bin/env bash
# Installs what the tests use besides the .NET SDK: Debian packages (dpkg tools for the test-image fetcher, fonts
# for rendered text, Node.js and npm, Chromium for the server's browser test — driven by Playwright, which cannot
# download its own browser here — RabbitMQ and nginx for the batch and replica tests, which start their own on loopback, and the AWS CLI for the Rekognition-compatibility test unless an `aws` is already
# on PATH) and, into the ignored folder .cache/node/, the npm package onnxruntime-node that tests/node/run-onnx.mjs
# uses to run exported models outside .NET.
# Safe to run repeatedly; needs root (or sudo) only when a Debian package is missing. npm uses the registry of the
# user's npm configuration (or ZOO_NPM_REGISTRY when set).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

need=()
# rabbitmq-server and nginx are the broker and load balancer of the scale-out tests; ghostscript, python3-pil and
# python3-numpy build the OCR page set (scripts/make-ocr-pages.py); darknet (libdarknet.so, darknet.h and the cfgs,
# with Debian's libopencv 406 libraries it depends on) and gcc build and run the Darknet importer's parity harness.
for pkg in dpkg fonts-dejavu-core chromium rabbitmq-server nginx ghostscript python3-pil python3-numpy darknet gcc; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v aws >/dev/null 2>&1 || need+=(awscli)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # Install only what is missing and upgrade nothing the new packages do not require: --no-upgrade keeps named
  # packages that are already there as they are. The dry run shows whether a dependency must be upgraded for them
  # ("Inst NAME [installed-version] ..."); that is said before it happens, so it is never a silent side effect.
  upgrades="$(apt-get -s install --no-upgrade "${need[@]}" | awk '/^Inst [^ ]+ \[/ {print $2}')"
  if [ -n "$upgrades" ]; then
    echo "install-test-deps: ${need[*]} need newer versions of installed packages: $(echo $upgrades)." >&2
    echo "install-test-deps: only those are upgraded; install ${need[*]} yourself first to decide otherwise." >&2
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-upgrade "${need[@]}"
fi

# onnxruntime-node, pinned; its CPU binaries ship inside the package, so its install script (which only fetches
# optional GPU binaries) is not run.
ort_node_version="1.30.0"
node_dir="$root/.cache/node"
installed="$(node -e 'try { console.log(require(process.argv[1]).version) } catch { }' \
  "$node_dir/node_modules/onnxruntime-node/package.json" 2>/dev/null || true)"
if [ "$installed" != "$ort_node_version" ]; then
  mkdir -p "$node_dir"
  if [ ! -f "$node_dir/package.json" ]; then
    printf '%s\n' '{' '  "name": "modelzoo-test-node-deps",' '  "private": true,' \
      '  "description": "Node packages the ModelZoo.NET tests use; written by scripts/install-test-deps.sh"' '}' \
      > "$node_dir/package.json"
  fi
  registry=()
  [ -n "${ZOO_NPM_REGISTRY:-}" ] && registry=(--registry "$ZOO_NPM_REGISTRY")
  echo "install-test-deps: npm install onnxruntime-node@$ort_node_version into $node_dir"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$node_dir" --no-audit --no-fund --ignore-scripts --save-exact \
    "${registry[@]}" "onnxruntime-node@$ort_node_version"
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
