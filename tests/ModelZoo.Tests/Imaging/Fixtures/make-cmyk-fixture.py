"""Writes cmyk-quadrants.jpg, the CMYK JPEG the imaging tests decode.

Run with Debian's Python and python3-pil (a fixture generator only, not a product dependency):
    /usr/bin/python3 make-cmyk-fixture.py
The image is 32x32 with four solid 16x16 quadrants in pure process colours (no black ink):
red, green, blue and white (see QUADRANTS). PIL stores CMYK JPEGs inverted with an Adobe APP14 marker, as
Photoshop does, which is the common real-world kind of CMYK JPEG.
"""
from PIL import Image

QUADRANTS = {  # (x, y) of the quadrant's top-left corner -> CMYK ink, 0-255
    (0, 0): (0, 255, 255, 0),    # magenta + yellow = red
    (16, 0): (255, 0, 255, 0),   # cyan + yellow = green
    (0, 16): (255, 255, 0, 0),   # cyan + magenta = blue
    (16, 16): (0, 0, 0, 0),      # no ink = white
}

img = Image.new("CMYK", (32, 32))
for (x0, y0), ink in QUADRANTS.items():
    for y in range(y0, y0 + 16):
        for x in range(x0, x0 + 16):
            img.putpixel((x, y), ink)
img.save("cmyk-quadrants.jpg", quality=95, subsampling=0)
