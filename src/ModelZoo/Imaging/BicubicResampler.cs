namespace ModelZoo.Imaging;

/// <summary>
/// Bicubic resampling of RGB images with the Keys kernel (a = -0.5, as in most image libraries), pixel centres aligned
/// (half-pixel offsets) and edge pixels repeated. When shrinking, the kernel is widened by the factor so that every
/// source pixel contributes (antialiasing). The baseline super-resolution models are measured against.
/// </summary>
public static class BicubicResampler
{
    /// <summary>Resizes <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var src = image.Pixels.ToArray();
        // Separable: rows first into a float buffer, then columns.
        var (xIndex, xWeight, xTaps) = Weights(image.Width, width);
        var (yIndex, yWeight, yTaps) = Weights(image.Height, height);
        var rows = new float[image.Height * width * 3];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                for (var k = 0; k < xTaps; k++)
                {
                    var w = xWeight[x * xTaps + k];
                    var at = (y * image.Width + xIndex[x * xTaps + k]) * 3;
                    r += w * src[at];
                    g += w * src[at + 1];
                    b += w * src[at + 2];
                }
                var o = (y * width + x) * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = b;
            }
        }
        var result = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var ch = 0; ch < 3; ch++)
                {
                    float v = 0;
                    for (var k = 0; k < yTaps; k++)
                    {
                        v += yWeight[y * yTaps + k] * rows[(yIndex[y * yTaps + k] * width + x) * 3 + ch];
                    }
                    result[(y * width + x) * 3 + ch] = (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
                }
            }
        }
        return RgbImage.FromPixels(width, height, result);
    }

    private static (int[] Index, float[] Weight, int Taps) Weights(int source, int target)
    {
        var scale = (double)source / target;
        var support = scale > 1 ? 2 * scale : 2.0;
        var taps = (int)Math.Ceiling(support) * 2 + 1;
        var index = new int[target * taps];
        var weight = new float[target * taps];
        var widen = Math.Max(1.0, scale);
        for (var i = 0; i < target; i++)
        {
            var centre = (i + 0.5) * scale - 0.5;
            var first = (int)Math.Floor(centre - support) + 1;
            double total = 0;
            var w = new double[taps];
            for (var k = 0; k < taps; k++)
            {
                w[k] = Keys((first + k - centre) / widen);
                total += w[k];
            }
            for (var k = 0; k < taps; k++)
            {
                index[i * taps + k] = Math.Clamp(first + k, 0, source - 1);
                weight[i * taps + k] = (float)(w[k] / total);
            }
        }
        return (index, weight, taps);
    }

    private static double Keys(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        return x <= 1 ? ((a + 2) * x - (a + 3)) * x * x + 1
            : x < 2 ? ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
            : 0;
    }
}
