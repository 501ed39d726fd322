namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Cuts a detected line out of the image as an upright rectangle: a projective warp of its quadrilateral with bilinear
/// sampling and edge pixels repeated outside the image (PaddleOCR's <c>get_rotate_crop_image</c>), then a quarter turn
/// counter-clockwise when the crop is at least 1.5 times taller than wide (vertical text).
/// </summary>
/// <remarks>
/// Written by hand rather than drawn through SkiaSharp's perspective canvas: the warp is a few lines, it needs no
/// surface or colour conversion, and the same map brings word positions back onto the image.
/// </remarks>
internal static class LineCropper
{
    /// <summary>The upright crop and the map from its pixel coordinates to the source image.</summary>
    public static (RgbImage Crop, Projective ToSource) Crop(RgbImage image, (double X, double Y)[] quad)
    {
        static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
        var width = Math.Max(1, (int)Math.Max(Distance(quad[0], quad[1]), Distance(quad[2], quad[3])));
        var height = Math.Max(1, (int)Math.Max(Distance(quad[0], quad[3]), Distance(quad[1], quad[2])));
        var toSource = Projective.RectangleTo(width, height, quad);
        var pixels = Warp(image, width, height, toSource);
        if (height >= 1.5 * width)
        {
            // Turn counter-clockwise: output (x', y') shows source crop pixel (width - 1 - y', x').
            var turned = new byte[pixels.Length];
            for (var y = 0; y < width; y++)
            {
                for (var x = 0; x < height; x++)
                {
                    var s = 3 * (x * width + (width - 1 - y));
                    var d = 3 * (y * height + x);
                    turned[d] = pixels[s]; turned[d + 1] = pixels[s + 1]; turned[d + 2] = pixels[s + 2];
                }
            }
            var turn = Projective.Affine(0, -1, width - 1, 1, 0, 0);
            return (RgbImage.FromPixels(height, width, turned), toSource.After(turn));
        }
        return (RgbImage.FromPixels(width, height, pixels), toSource);
    }

    /// <summary>Turns a crop upside down; the map is updated to match.</summary>
    public static (RgbImage Crop, Projective ToSource) Rotate180(RgbImage crop, Projective toSource)
    {
        var src = crop.Pixels;
        var dst = new byte[src.Length];
        var n = crop.Width * crop.Height;
        for (var i = 0; i < n; i++)
        {
            var j = n - 1 - i;
            dst[3 * j] = src[3 * i]; dst[3 * j + 1] = src[3 * i + 1]; dst[3 * j + 2] = src[3 * i + 2];
        }
        var flip = Projective.Affine(-1, 0, crop.Width - 1, 0, -1, crop.Height - 1);
        return (RgbImage.FromPixels(crop.Width, crop.Height, dst), toSource.After(flip));
    }

    /// <summary>
    /// Plain bilinear resize with half-pixel centres and no antialiasing filter (OpenCV's <c>INTER_LINEAR</c>), the
    /// resampling PaddleOCR's models were trained with. Text-line crops are shrunk hard along x for the direction
    /// classifier; there the aliased samples it was trained on matter.
    /// </summary>
    public static RgbImage ResizeLinear(RgbImage image, int width, int height)
    {
        var src = image.Pixels;
        int w = image.Width, h = image.Height;
        var dst = new byte[3 * width * height];
        double sx = (double)w / width, sy = (double)h / height;
        for (var y = 0; y < height; y++)
        {
            var fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, h - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, h - 1);
            var wy = fy - y0;
            for (var x = 0; x < width; x++)
            {
                var fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, w - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, w - 1);
                var wx = fx - x0;
                var d = 3 * (y * width + x);
                for (var c = 0; c < 3; c++)
                {
                    var top = src[3 * (y0 * w + x0) + c] * (1 - wx) + src[3 * (y0 * w + x1) + c] * wx;
                    var bottom = src[3 * (y1 * w + x0) + c] * (1 - wx) + src[3 * (y1 * w + x1) + c] * wx;
                    dst[d + c] = (byte)Math.Clamp((int)(top * (1 - wy) + bottom * wy + 0.5), 0, 255);
                }
            }
        }
        return RgbImage.FromPixels(width, height, dst);
    }

    private static byte[] Warp(RgbImage image, int width, int height, Projective toSource)
    {
        var src = image.Pixels;
        int w = image.Width, h = image.Height;
        var dst = new byte[3 * width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = toSource.Apply(x, y);
                sx = Math.Clamp(sx, 0, w - 1);
                sy = Math.Clamp(sy, 0, h - 1);
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
                double fx = sx - x0, fy = sy - y0;
                var d = 3 * (y * width + x);
                for (var c = 0; c < 3; c++)
                {
                    var top = src[3 * (y0 * w + x0) + c] * (1 - fx) + src[3 * (y0 * w + x1) + c] * fx;
                    var bottom = src[3 * (y1 * w + x0) + c] * (1 - fx) + src[3 * (y1 * w + x1) + c] * fx;
                    dst[d + c] = (byte)Math.Clamp((int)(top * (1 - fy) + bottom * fy + 0.5), 0, 255);
                }
            }
        }
        return dst;
    }
}
