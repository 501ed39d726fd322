#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the Debian and npm packages the tests use (once; see
# scripts/install-test-deps.sh), fetches test images into .cache/testdata (once),
# points the store tests at the registries this machine's npm and NuGet are configured for, then runs dotnet test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/install-test-deps.sh
bash scripts/fetch-test-assets.sh

if [ -z "${ZOO_NUGET_SOURCE:-}" ]; then
  ZOO_NUGET_SOURCE="$(dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ {print $2; exit}')"
  export ZOO_NUGET_SOURCE
fi
if [ -z "${ZOO_NPM_REGISTRY:-}" ] && command -v npm >/dev/null 2>&1; then
  ZOO_NPM_REGISTRY="$(npm config get registry)"
  export ZOO_NPM_REGISTRY
fi
# The server's browser test drives Debian's chromium; Playwright must never try to download its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "NuGet source: ${ZOO_NUGET_SOURCE:-<none>}  npm registry: ${ZOO_NPM_REGISTRY:-<none>}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test ModelZoo.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(awk '/^ +Passed: +[0-9]+/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^ +Failed: +[0-9]+/ {s += $2} END {print s + 0}' "$log")
echo "tests: $passed passed, $failed failed"
exit "$status"
