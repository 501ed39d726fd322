#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the Debian and npm packages the tests use (once; see
# scripts/install-test-deps.sh), fetches test images into .cache/testdata (once),
# then runs dotnet test. The tests find registries as `zoo` does (npm and NuGet configuration, else `npm config get
# registry` and `dotnet nuget list source`), so nothing is exported for them: a default setup is what gets tested.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/install-test-deps.sh
bash scripts/fetch-test-assets.sh

# The tool as users install it: pack for this machine, install from a folder feed, run it (about a minute).
bash scripts/check-tool-package.sh

# The server's browser test drives Debian's chromium; Playwright must never try to download its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test ModelZoo.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(awk '/^ +Passed: +[0-9]+/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^ +Failed: +[0-9]+/ {s += $2} END {print s + 0}' "$log")
# CI keeps only the end of this output, so the failures are repeated last, each with the start of its message.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  awk '/^ +Failed [A-Za-z_]/ {print; n = 5; next} n > 0 {print; n--}' "$log" | cut -c1-300 | head -n 80
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
