using ModelZoo.Quantization;

namespace ModelZoo.Tests.Quantization;

public sealed class EntropyThresholdTests
{
    [Fact]
    public void A_long_tail_with_a_far_outlier_is_clipped_well_below_the_maximum()
    {
        // |N(0, 1)| from 200,000 draws, histogrammed over [0, 20] with one value at 20: minmax would spend 256 levels on
        // [0, 20], of which the draws use the first fifth.
        var random = new Random(7);
        var histogram = new double[EntropyThreshold.Bins];
        const double top = 20;
        for (var n = 0; n < 200_000; n++)
        {
            var g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            histogram[Math.Min((int)(Math.Abs(g) / top * EntropyThreshold.Bins), EntropyThreshold.Bins - 1)]++;
        }
        histogram[^1]++;

        var threshold = EntropyThreshold.Best(histogram, 256) * top / EntropyThreshold.Bins;

        Assert.InRange(threshold, 2.5, 8.0);
    }

    [Fact]
    public void A_uniform_histogram_is_not_clipped()
    {
        var histogram = Enumerable.Repeat(10.0, EntropyThreshold.Bins).ToArray();
        Assert.True(EntropyThreshold.Best(histogram, 256) >= EntropyThreshold.Bins * 0.95);
    }

    [Fact]
    public void An_empty_histogram_keeps_the_full_range()
    {
        Assert.Equal(EntropyThreshold.Bins, EntropyThreshold.Best(new double[EntropyThreshold.Bins], 128));
    }
}
