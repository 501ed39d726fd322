using SkiaSharp;

namespace ModelZoo.Training.Tests.Reports;

/// <summary>Checks on rendered PNG files.</summary>
internal static class PngAssert
{
    /// <summary>Decodes the file, failing the test with the path when it is not a PNG.</summary>
    public static SKBitmap Decode(string path)
    {
        Assert.True(File.Exists(path), $"expected a file at {path}");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G',
            $"{path} is not a PNG file");
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    /// <summary>Variance of the grey level over a region (0 for a blank region).</summary>
    public static double Variance(SKBitmap bitmap, SKRectI? region = null)
    {
        var r = region ?? new SKRectI(0, 0, bitmap.Width, bitmap.Height);
        double sum = 0, sumSq = 0;
        long n = 0;
        for (var y = r.Top; y < r.Bottom; y += 2)
        {
            for (var x = r.Left; x < r.Right; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double g = (c.Red + c.Green + c.Blue) / 3.0;
                sum += g;
                sumSq += g * g;
                n++;
            }
        }

        var mean = sum / n;
        return (sumSq / n) - (mean * mean);
    }

    /// <summary>Counts pixels in a region that satisfy a predicate.</summary>
    public static int Count(SKBitmap bitmap, SKRectI region, Func<SKColor, bool> predicate)
    {
        var count = 0;
        for (var y = region.Top; y < region.Bottom; y++)
        {
            for (var x = region.Left; x < region.Right; x++)
            {
                if (predicate(bitmap.GetPixel(x, y)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>No temporary files were left next to an atomically written file.</summary>
    public static void NoTempFiles(string folder) =>
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
}
