#!/usr/bin/env bash
# Fetches the real images the test suites use into <repo>/.cache/testdata/ (or $ZOO_TESTDATA):
#   darknet/   the classic detection photos from Debian's `darknet` package (public domain)
#   skimage/   scikit-image's sample images from Debian's `python3-skimage` (CC0 / public domain)
#   tuxpaint/  the Tux Paint stamp tree from Debian's `tuxpaint-stamps-default` (GPL-2; PNGs only,
#              category folders kept) -- test data fetched at test time, never committed.
#   onnx-node/ ONNX's own operator conformance cases from Debian's `libonnx-testdata` (Apache-2.0): one folder per
#              case, test_<op>*/model.onnx + test_data_set_0/{input,output}_*.pb (TensorProto), for the fine-tuning
#              tests that check every op the trainer emits against the spec's own expected outputs.
#   ocr-pages/ the OCR page set built by scripts/make-ocr-pages.py (needs Debian's ghostscript, python3-pil and
#              python3-numpy; scripts/install-test-deps.sh installs them): scikit-image's page photos with hand
#              transcriptions, and licence texts from /usr/share/common-licenses typeset by Ghostscript at several
#              resolutions and "photographed" (perspective, uneven light, blur, noise, JPEG), each NAME.png|jpg with
#              its ground truth NAME.txt. Rebuilt when the generator changes (its hash is the marker's version).
# Packages come from apt (`apt-get download`, no root needed); `apt-get update` runs only when a
# download fails. Each folder gets a `.fetched` marker naming the package version; a folder whose
# marker is present is left alone, so running the script twice does nothing the second time.
# Set ZOO_TESTDATA_DEBS to a folder of already downloaded .deb files to use those instead of apt.
# Usage: scripts/fetch-test-assets.sh [--force]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${ZOO_TESTDATA:-$ROOT/.cache/testdata}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf 'fetch-test-assets: %s\n' "$*"; }
die() { printf 'fetch-test-assets: error: %s\n' "$*" >&2; exit 1; }

command -v dpkg-deb >/dev/null || die "dpkg-deb not found; this script needs a Debian-based machine"
mkdir -p "$DEST"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# apt's sandbox user (_apt) must be able to reach the download folder when we run as root.
chmod 755 "$WORK"

UPDATED=0
apt_update() {
  if [[ $UPDATED -eq 1 ]]; then return 1; fi
  UPDATED=1
  if [[ $(id -u) -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    log "sudo apt-get update"
    sudo -n apt-get update -qq
  else
    log "cannot run apt-get update without root; ask an administrator to refresh the package lists"
    return 1
  fi
}

# fetch_deb PACKAGE -> prints the path of the downloaded .deb
fetch_deb() {
  local pkg="$1" deb
  if [[ -n "${ZOO_TESTDATA_DEBS:-}" ]]; then
    deb="$(ls -1 "$ZOO_TESTDATA_DEBS/${pkg}"_*.deb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$deb" ]]; then
      log "using $deb" >&2
      printf '%s\n' "$deb"
      return 0
    fi
  fi
  local dir="$WORK/debs"
  mkdir -p "$dir"
  # As root, apt downloads as its sandbox user _apt, which must own the folder.
  if [[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$dir"; fi
  if ! (cd "$dir" && apt-get download -q "$pkg" >&2); then
    log "apt-get download $pkg failed; refreshing the package lists and retrying" >&2
    apt_update >&2 || die "could not download $pkg (apt-get update unavailable or failed)"
    (cd "$dir" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed after apt-get update"
  fi
  deb="$(ls -1 "$dir/${pkg}"_*.deb | sort -V | tail -n 1)"
  log "downloaded $(basename "$deb")" >&2
  printf '%s\n' "$deb"
}

# already_done NAME -> true when DEST/NAME has its marker and files
already_done() {
  local name="$1"
  [[ $FORCE -eq 0 && -f "$DEST/$name/.fetched" ]] || return 1
  local count
  count="$(find "$DEST/$name" -type f ! -name .fetched | wc -l)"
  [[ "$count" -gt 0 ]]
}

write_marker() {
  local name="$1" pkg="$2" version="$3" count
  count="$(find "$DEST/$name" -type f ! -name .fetched | wc -l)"
  printf 'package=%s\nversion=%s\nfiles=%s\n' "$pkg" "$version" "$count" > "$DEST/$name/.fetched"
  log "$name/: $count files from $pkg $version"
}

# extract PACKAGE -> extracts into $WORK/x-PACKAGE, sets VERSION
extract() {
  local pkg="$1" deb
  deb="$(fetch_deb "$pkg")"
  VERSION="$(dpkg-deb -f "$deb" Version)"
  rm -rf "$WORK/x-$pkg"
  dpkg -x "$deb" "$WORK/x-$pkg"
}

# Copy into a fresh staging folder and move it into place, so an interrupted run never leaves a
# half-filled folder carrying a marker.
stage_begin() { rm -rf "$DEST/.$1.tmp"; mkdir -p "$DEST/.$1.tmp"; }
stage_commit() { rm -rf "${DEST:?}/$1"; mv "$DEST/.$1.tmp" "$DEST/$1"; }

did=0

if already_done darknet; then
  log "darknet/: present ($(grep '^version=' "$DEST/darknet/.fetched" | cut -d= -f2)), skipped"
else
  extract darknet
  src="$WORK/x-darknet/usr/share/darknet/data"
  stage_begin darknet
  for f in dog person horses giraffe eagle kite scream; do
    [[ -f "$src/$f.jpg" ]] || die "darknet $VERSION has no data/$f.jpg"
    cp "$src/$f.jpg" "$DEST/.darknet.tmp/"
  done
  stage_commit darknet
  write_marker darknet darknet "$VERSION"
  did=1
fi

if already_done skimage; then
  log "skimage/: present ($(grep '^version=' "$DEST/skimage/.fetched" | cut -d= -f2)), skipped"
else
  extract python3-skimage
  src="$(find "$WORK/x-python3-skimage" -type d -path '*/skimage/data' | head -n 1)"
  [[ -n "$src" ]] || die "python3-skimage $VERSION has no skimage/data folder"
  stage_begin skimage
  # Image formats the decoder handles; skimage's TIFF, FITS and NumPy files are not images we read.
  find "$src" -maxdepth 1 -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.gif' \
       -o -iname '*.bmp' -o -iname '*.webp' \) -exec cp {} "$DEST/.skimage.tmp/" \;
  stage_commit skimage
  write_marker skimage python3-skimage "$VERSION"
  did=1
fi

if already_done tuxpaint; then
  log "tuxpaint/: present ($(grep '^version=' "$DEST/tuxpaint/.fetched" | cut -d= -f2)), skipped"
else
  extract tuxpaint-stamps-default
  src="$WORK/x-tuxpaint-stamps-default/usr/share/tuxpaint/stamps"
  [[ -d "$src" ]] || die "tuxpaint-stamps-default $VERSION has no usr/share/tuxpaint/stamps"
  stage_begin tuxpaint
  (cd "$src" && find . -type f -iname '*.png' -print0 | xargs -0 cp --parents -t "$DEST/.tuxpaint.tmp/")
  stage_commit tuxpaint
  write_marker tuxpaint tuxpaint-stamps-default "$VERSION"
  did=1
fi

if already_done onnx-node; then
  log "onnx-node/: present ($(grep '^version=' "$DEST/onnx-node/.fetched" | cut -d= -f2)), skipped"
else
  extract libonnx-testdata
  src="$(find "$WORK/x-libonnx-testdata" -type d -path '*/data/node' | head -n 1)"
  [[ -n "$src" ]] || die "libonnx-testdata $VERSION has no data/node folder"
  stage_begin onnx-node
  cp -r "$src"/. "$DEST/.onnx-node.tmp/"
  stage_commit onnx-node
  write_marker onnx-node libonnx-testdata "$VERSION"
  did=1
fi

generator="$ROOT/scripts/make-ocr-pages.py"
generator_hash="$(sha256sum "$generator" | cut -c1-16)"
if already_done ocr-pages && grep -qx "version=$generator_hash" "$DEST/ocr-pages/.fetched"; then
  log "ocr-pages/: present ($generator_hash), skipped"
else
  command -v gs >/dev/null || die "ghostscript (gs) is needed to build ocr-pages/; run scripts/install-test-deps.sh"
  /usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null \
    || die "Debian's python3-numpy and python3-pil are needed to build ocr-pages/; run scripts/install-test-deps.sh"
  stage_begin ocr-pages
  /usr/bin/python3 "$generator" "$DEST/.ocr-pages.tmp" "$DEST/skimage"
  stage_commit ocr-pages
  write_marker ocr-pages make-ocr-pages.py "$generator_hash"
  did=1
fi

# One summary marker for humans and CI logs.
{
  for name in darknet skimage tuxpaint onnx-node ocr-pages; do
    printf '%s: %s %s (%s files)\n' "$name" \
      "$(grep '^package=' "$DEST/$name/.fetched" | cut -d= -f2)" \
      "$(grep '^version=' "$DEST/$name/.fetched" | cut -d= -f2)" \
      "$(grep '^files=' "$DEST/$name/.fetched" | cut -d= -f2)"
  done
} > "$DEST/VERSIONS.txt"

if [[ $did -eq 1 ]]; then
  log "done; test images are in $DEST"
else
  log "nothing to do; test images are in $DEST"
fi
