namespace ModelZoo.Upscaling;

/// <summary>Full-reference image quality figures.</summary>
public static class ImageQuality
{
    /// <summary>Peak signal-to-noise ratio in dB between two 8-bit RGB images of the same size, over all three channels,
    /// ignoring <paramref name="border"/> pixels on every side (super-resolution results are usually judged without
    /// the border, where no model sees the neighbours). Identical images give positive infinity.</summary>
    /// <exception cref="ArgumentException">The sizes differ, or the border leaves no pixel.</exception>
    public static double Psnr(RgbImage reference, RgbImage candidate, int border = 0)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        if (reference.Width != candidate.Width || reference.Height != candidate.Height)
        {
            throw new ArgumentException(
                $"The images differ in size ({reference.Width}x{reference.Height} and {candidate.Width}x{candidate.Height}).", nameof(candidate));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (2 * border >= reference.Width || 2 * border >= reference.Height)
        {
            throw new ArgumentException($"A border of {border} leaves no pixel of a {reference.Width}x{reference.Height} image.", nameof(border));
        }
        var a = reference.Pixels;
        var b = candidate.Pixels;
        double sum = 0;
        long count = 0;
        for (var y = border; y < reference.Height - border; y++)
        {
            var row = y * reference.Width * 3;
            for (var i = row + border * 3; i < row + (reference.Width - border) * 3; i++)
            {
                double d = a[i] - b[i];
                sum += d * d;
                count++;
            }
        }
        var mse = sum / count;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
