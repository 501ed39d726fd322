#!/usr/bin/env bash
# Packs the `zoo` tool for this machine's runtime identifier only (the top-level ModelZoo.Cli package plus
# ModelZoo.Cli.<rid>), installs it from that local folder feed with `dotnet tool install --tool-path` as a user
# would, and checks what a user gets: each package at most 60 MB, the installed folder under 300 MB, and a working
# `zoo --version` and `zoo list`. Run by scripts/test.sh; the full six-platform pack is a plain
# `dotnet pack src/ModelZoo.Cli -c Release -o FOLDER`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

rid="$(dotnet --info | awk '$1 == "RID:" {print $2; exit}')"
[ -n "$rid" ] || { echo "check-tool-package: cannot read this machine's RID from dotnet --info" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
tools="$work/tools"

dotnet pack src/ModelZoo.Cli -c Release -o "$feed" -p:ToolPackageRuntimeIdentifiers="$rid" --nologo -v quiet
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/ModelZoo.Cli/ModelZoo.Cli.csproj | head -n 1)"
for pkg in "$feed/ModelZoo.Cli.$version.nupkg" "$feed/ModelZoo.Cli.$rid.$version.nupkg"; do
  [ -f "$pkg" ] || { echo "check-tool-package: $pkg was not produced" >&2; ls -l "$feed" >&2; exit 1; }
  size=$(stat -c %s "$pkg")
  echo "check-tool-package: $(basename "$pkg") $((size / 1024 / 1024)) MB"
  [ "$size" -le $((60 * 1024 * 1024)) ] || { echo "check-tool-package: $(basename "$pkg") is over 60 MB" >&2; exit 1; }
done

dotnet tool install --tool-path "$tools" --add-source "$feed" --version "$version" ModelZoo.Cli
installed_kb=$(du -sk "$tools" | awk '{print $1}')
echo "check-tool-package: installed folder $((installed_kb / 1024)) MB"
[ "$installed_kb" -lt $((300 * 1024)) ] || { echo "check-tool-package: the installed tool is over 300 MB" >&2; exit 1; }

printed="$("$tools/zoo" --version)"
[ "$printed" = "$version" ] || { echo "check-tool-package: zoo --version printed '$printed', expected '$version'" >&2; exit 1; }
listing="$(ZOO_HOME="$work/home" ZOO_OFFLINE=1 COLUMNS=80 "$tools/zoo" list | cat)"
grep -q "coco/nanodet/detection" <<<"$listing" || { echo "check-tool-package: zoo list lacks a full handle:" >&2; echo "$listing" >&2; exit 1; }
# The platform package's native libraries load: classify a photo with a local model file, offline.
model=""
for dir in "$root/shared/testdata" "$root/../shared/testdata" "$root/../../shared/testdata"; do
  [ -f "$dir/imagenet/mobilenetv2-12-int8.onnx" ] && model="$dir/imagenet/mobilenetv2-12-int8.onnx" && break
done
photo="$root/.cache/testdata/darknet/dog.jpg"
[ -n "$model" ] || { echo "check-tool-package: imagenet/mobilenetv2-12-int8.onnx not found in a shared/testdata folder in, beside or above the repository ($root); place the shared test data there (see shared/ASSETS.md)" >&2; exit 1; }
[ -f "$photo" ] || { echo "check-tool-package: $photo is missing; run scripts/fetch-test-assets.sh" >&2; exit 1; }
top="$(ZOO_HOME="$work/home" ZOO_OFFLINE=1 "$tools/zoo" classify "$model" "$photo" --top 1 --json 2>/dev/null | sed -n 's/.*"label": "\(.*\)".*/\1/p' | head -n 1)"
[ -n "$top" ] || { echo "check-tool-package: the installed zoo could not classify $photo" >&2; exit 1; }
echo "check-tool-package: zoo $printed installs and runs ($rid); it labels dog.jpg '$top'"
