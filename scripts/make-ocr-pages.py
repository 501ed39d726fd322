#!/usr/bin/python3
"""Builds the OCR page set: real page images with their ground-truth text, in DEST (one NAME.png + NAME.txt each).

  skimage-page   scikit-image's page.png (a photographed book page), transcribed by hand
  <doc>-<dpi>    a licence text shipped in Debian (base-files' /usr/share/common-licenses), typeset by Ghostscript
                 with the URW base-35 fonts and rendered at a few resolutions; the ground truth is the set lines
  <doc>-photo    the same page "photographed": perspective warp, uneven light, defocus blur, sensor noise, JPEG

Needs Debian's ghostscript (with fonts-urw-base35), python3-pil and python3-numpy. Deterministic: fixed seeds.
Usage: make-ocr-pages.py DEST SKIMAGE_DIR
"""
import os
import re
import subprocess
import sys

import numpy as np
from PIL import Image, ImageFilter

AFM_DIR = "/usr/share/fonts/type1/urw-base35"
LICENSES = "/usr/share/common-licenses"

# Hand transcriptions (every visible line; the clipped address fragment under the last line of page.png is not text
# a reader could read and is left out). scikit-image's text.png is not in the set: handwritten formula fragments seen
# at a steep slant, which have no line-by-line transcription to score against.
SKIMAGE = {
    "skimage-page": ("page.png", [
        "Region-based segmentation",
        "Let us first determine markers of the coins and the",
        "background. These markers are pixels that we can label",
        "unambiguously as either object or background. Here,",
        "the markers are found at the two extreme parts of the",
        "histogram of grey values:",
        ">>> markers = np.zeros_like(coins)",
    ]),
}

# (name, licence file, first paragraph to set, font, size in points, resolutions in dpi, photographed?)
PAGES = [
    ("apache", "Apache-2.0", 3, "NimbusRoman-Regular", 11, [100, 150, 300], True),
    ("gpl3", "GPL-3", 6, "NimbusSans-Regular", 10, [150, 200], True),
    ("mpl2", "MPL-2.0", 4, "C059-Roman", 11, [120, 200], True),
    ("artistic", "Artistic", 2, "NimbusMonoPS-Regular", 10, [150], False),
    ("bsd", "BSD", 1, "P052-Roman", 12, [150], False),
]

PAGE_W, PAGE_H, MARGIN = 6.0 * 72, 4.5 * 72, 0.5 * 72


def afm_widths(font):
    widths = {}
    with open(os.path.join(AFM_DIR, font + ".afm"), encoding="latin-1") as f:
        for line in f:
            m = re.match(r"C (-?\d+) ; WX (\d+) ;", line)
            if m and int(m.group(1)) >= 0:
                widths[chr(int(m.group(1)))] = int(m.group(2)) / 1000.0
    return widths


def paragraphs(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    result = []
    for block in re.split(r"\n\s*\n", text):
        words = block.split()
        # Plain prose only: ASCII, no rules or tables.
        if len(words) >= 8 and all(32 <= ord(c) < 127 for w in words for c in w) and not re.search(r"[-=_*]{4,}", block):
            result.append(words)
    return result


def layout(words_list, font, size):
    widths = afm_widths(font)
    width_of = lambda s: sum(widths.get(c, 0.5) for c in s) * size
    space = width_of(" ")
    usable = PAGE_W - 2 * MARGIN
    leading = size * 1.3
    y = PAGE_H - MARGIN - size
    placed = []  # (y, text); None text = paragraph gap
    for words in words_list:
        line = []
        for w in words:
            if line and width_of(" ".join(line + [w])) > usable:
                placed.append((y, " ".join(line)))
                y -= leading
                line = []
            line.append(w)
        if line:
            placed.append((y, " ".join(line)))
            y -= leading
        y -= leading * 0.6
        if y < MARGIN:
            break
    return [(yy, t) for yy, t in placed if yy >= MARGIN]


def ps_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def render(lines, font, size, dpi, out_png, work):
    ps = [f"%!PS\n<< /PageSize [{PAGE_W} {PAGE_H}] >> setpagedevice\n/{font} findfont {size} scalefont setfont\n"]
    for y, text in lines:
        ps.append(f"{MARGIN:.2f} {y:.2f} moveto {ps_string(text)} show\n")
    ps.append("showpage\n")
    src = os.path.join(work, "page.ps")
    with open(src, "w", encoding="ascii") as f:
        f.write("".join(ps))
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{dpi}",
                    "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sOutputFile={out_png}", src], check=True)


def perspective_coefficients(src, dst):
    # PIL maps output (x, y) to input; solve the 8 coefficients sending dst corners onto src corners.
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y]); rhs.append(v)
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def photograph(png, out_jpg, seed):
    rng = np.random.default_rng(seed)
    page = Image.open(png).convert("RGB")
    w, h = page.size
    # Lay the page on a darker desk and look at it from slightly off-axis.
    pad = int(0.08 * max(w, h))
    canvas = Image.new("RGB", (w + 2 * pad, h + 2 * pad), (70, 62, 55))
    canvas.paste(page, (pad, pad))
    W, H = canvas.size
    corners = [(0, 0), (W, 0), (W, H), (0, H)]
    jitter = lambda: rng.uniform(-0.05, 0.05) * min(W, H)
    moved = [(x + jitter(), y + jitter()) for x, y in corners]
    warped = canvas.transform((W, H), Image.PERSPECTIVE, perspective_coefficients(corners, moved), Image.BICUBIC,
                              fillcolor=(40, 36, 32))
    a = np.asarray(warped).astype(np.float32)
    # Light falling off across the page, and a warm cast.
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.8) * H
    falloff = 1.0 - 0.35 * np.clip(np.hypot(xx - cx, yy - cy) / np.hypot(W, H), 0, 1)
    a = a * falloff[..., None] * np.array([1.0, 0.96, 0.88], np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.3)))
    a = np.asarray(img).astype(np.float32) + rng.normal(0, 6.0, (H, W, 1)).astype(np.float32)
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(out_jpg, quality=82)


def main():
    dest, skimage = sys.argv[1], sys.argv[2]
    os.makedirs(dest, exist_ok=True)
    work = os.path.join(dest, ".work")
    os.makedirs(work, exist_ok=True)
    for name, (file, lines) in SKIMAGE.items():
        Image.open(os.path.join(skimage, file)).save(os.path.join(dest, name + ".png"))
        with open(os.path.join(dest, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    for seed, (name, doc, first, font, size, dpis, photo) in enumerate(PAGES):
        lines = layout(paragraphs(os.path.join(LICENSES, doc))[first:], font, size)
        truth = "\n".join(t for _, t in lines) + "\n"
        for dpi in dpis:
            render(lines, font, size, dpi, os.path.join(dest, f"{name}-{dpi}.png"), work)
            with open(os.path.join(dest, f"{name}-{dpi}.txt"), "w", encoding="utf-8") as f:
                f.write(truth)
        if photo:
            raw = os.path.join(work, "photo.png")
            render(lines, font, size, 200, raw, work)
            photograph(raw, os.path.join(dest, f"{name}-photo.jpg"), seed=100 + seed)
            with open(os.path.join(dest, f"{name}-photo.txt"), "w", encoding="utf-8") as f:
                f.write(truth)
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    os.rmdir(work)


if __name__ == "__main__":
    main()
