#!/usr/bin/env bash
# Builds the transfer-learning quick-start dataset: five emoji categories (about 40 images each, 64x64 PNG) in
# <repo>/.cache/quickstart/emoji/<category>/, one folder per class, ready for `zoo train --data`, and a held-out
# set of other emoji of the same categories (10 per class) in <repo>/.cache/quickstart/emoji-test/ for
# `zoo evaluate --data`: no image is in both.
#
# Images: Twemoji (c) Twitter, Inc. and other contributors, CC-BY 4.0, from the npm package
# emoji-datasource-twitter 16.0.0 (whose emoji.json gives each image's category). The package is fetched with
# `npm pack`, so it comes from the registry in your own npm configuration (or $ZOO_NPM_REGISTRY when set).
# Needs: npm and node, tar. Running it again does nothing once the dataset is complete (use --force to rebuild).
# Usage: scripts/fetch-quickstart-data.sh [--force] [--per-class N]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${ZOO_QUICKSTART:-$ROOT/.cache/quickstart}/emoji"
TEST="${ZOO_QUICKSTART:-$ROOT/.cache/quickstart}/emoji-test"
TEST_PER_CLASS=10
PACKAGE="emoji-datasource-twitter@16.0.0"
PER_CLASS=40
FORCE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) FORCE=1 ;;
    --per-class) PER_CLASS="$2"; shift ;;
    *) echo "usage: $0 [--force] [--per-class N]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf 'fetch-quickstart-data: %s\n' "$*"; }
die() { printf 'fetch-quickstart-data: error: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm not found; install Node.js (it brings npm) and run this again"
command -v node >/dev/null || die "node not found; install Node.js and run this again"

if [[ $FORCE -eq 0 && -f "$DEST/.fetched" && -f "$TEST/.fetched" ]]; then
  log "already there: $DEST ($(cat "$DEST/.fetched"))"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log "npm pack $PACKAGE"
registry=()
[[ -n "${ZOO_NPM_REGISTRY:-}" ]] && registry=(--registry "$ZOO_NPM_REGISTRY")
(cd "$WORK" && npm pack "$PACKAGE" "${registry[@]}" --silent >/dev/null) || die "npm pack $PACKAGE failed; check your npm registry configuration (npm config get registry)"
tarball="$(ls "$WORK"/*.tgz)"
tar -xzf "$tarball" -C "$WORK" package/emoji.json package/LICENSE package/README.md 2>/dev/null || tar -xzf "$tarball" -C "$WORK" package/emoji.json

# Choose the images: for each class, every k-th emoji of the category in the package's sort order, so that a
# class spans the whole category rather than its first sub-group.
node - "$WORK/package/emoji.json" "$PER_CLASS" "$TEST_PER_CLASS" > "$WORK/plan.tsv" <<'JS'
const [file, perClass, testPerClass] = process.argv.slice(2);
const emoji = require(file);
const classes = {
  'animals': 'Animals & Nature',
  'food': 'Food & Drink',
  'flags': 'Flags',
  'smileys': 'Smileys & Emotion',
  'travel': 'Travel & Places',
};
for (const [name, category] of Object.entries(classes)) {
  const members = emoji.filter(e => e.category === category && e.has_img_twitter)
                       .sort((a, b) => a.sort_order - b.sort_order);
  const n = Math.min(Number(perClass), members.length);
  const step = members.length / n;
  const chosen = new Set();
  for (let i = 0; i < n; i++) {
    const e = members[Math.floor(i * step)];
    chosen.add(e.image);
    console.log(`train\t${name}\t${e.image}\t${(e.short_name || '').replace(/\t/g, ' ')}`);
  }
  // Held out: emoji half-way between the training picks, never one of them.
  const rest = members.filter(e => !chosen.has(e.image));
  const t = Math.min(Number(testPerClass), rest.length);
  for (let i = 0; i < t; i++) {
    const e = rest[Math.floor((i + 0.5) * rest.length / t)];
    console.log(`test\t${name}\t${e.image}\t${(e.short_name || '').replace(/\t/g, ' ')}`);
  }
}
JS

rm -rf "$DEST" "$TEST"
mkdir -p "$DEST" "$TEST"
cut -f3 "$WORK/plan.tsv" | sed 's#^#package/img/twitter/64/#' > "$WORK/files.txt"
tar -xzf "$tarball" -C "$WORK" -T "$WORK/files.txt"
while IFS=$'\t' read -r split class image name; do
  target="$DEST"
  [[ "$split" == test ]] && target="$TEST"
  mkdir -p "$target/$class"
  cp "$WORK/package/img/twitter/64/$image" "$target/$class/$image"
done < "$WORK/plan.tsv"

cat > "$DEST/ATTRIBUTION.txt" <<TXT
Emoji images: Twemoji, (c) Twitter, Inc. and other contributors, licensed CC-BY 4.0
(https://creativecommons.org/licenses/by/4.0/), taken from the npm package $PACKAGE.
Class folders follow the package's emoji.json categories. Selected by scripts/fetch-quickstart-data.sh.
TXT
cp "$DEST/ATTRIBUTION.txt" "$TEST/ATTRIBUTION.txt"
printf '%s (%s per class)\n' "$PACKAGE" "$PER_CLASS" > "$DEST/.fetched"
printf '%s (%s per class, none of them in %s)\n' "$PACKAGE" "$TEST_PER_CLASS" "$DEST" > "$TEST/.fetched"
for d in "$DEST"/*/; do log "$(basename "$d"): $(ls "$d" | wc -l) images"; done
for d in "$TEST"/*/; do log "held out $(basename "$d"): $(ls "$d" | wc -l) images"; done
log "done; dataset in $DEST, held-out images in $TEST"
