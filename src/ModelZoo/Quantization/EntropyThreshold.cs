namespace ModelZoo.Quantization;

/// <summary>
/// KL-divergence calibration: from a histogram of activation magnitudes, the clipping threshold whose quantized
/// distribution (values clipped at the threshold, then rounded to a given number of levels) loses the least
/// information against the float one.
/// </summary>
internal static class EntropyThreshold
{
    /// <summary>Bins of the float histogram; fine enough that 256 levels are a real coarsening of it.</summary>
    public const int Bins = 2048;

    /// <summary>
    /// The index of the best clipping bin edge in <paramref name="histogram"/> (the threshold is that many bin widths),
    /// for <paramref name="levels"/> quantization levels.
    /// </summary>
    public static int Best(double[] histogram, int levels)
    {
        var bins = histogram.Length;
        if (bins <= levels)
        {
            return bins;
        }
        var total = 0.0;
        foreach (var h in histogram)
        {
            total += h;
        }
        if (total <= 0)
        {
            return bins;
        }
        // Suffix sums: the mass clipped into the last kept bin at each candidate threshold.
        var above = new double[bins + 1];
        for (var j = bins - 1; j >= 0; j--)
        {
            above[j] = above[j + 1] + histogram[j];
        }
        var p = new double[bins];
        var q = new double[bins];
        // Coarse to fine: every 16th candidate first, then each candidate around the best coarse one; the divergence
        // is smooth in the threshold at this resolution, and it cuts the search 8-fold.
        const int stride = 16;
        var best = bins;
        var bestDivergence = double.PositiveInfinity;
        void Try(int i)
        {
            var divergence = Candidate(histogram, above, levels, i, p, q);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                best = i;
            }
        }
        for (var i = levels; i <= bins; i += stride)
        {
            Try(i);
        }
        Try(bins);
        var coarse = best;
        for (var i = Math.Max(levels, coarse - stride + 1); i <= Math.Min(bins, coarse + stride - 1); i++)
        {
            if (i != coarse)
            {
                Try(i);
            }
        }
        return best;
    }

    /// <summary>The divergence of clipping at bin edge <paramref name="i"/>: P is the histogram cut there with the
    /// clipped mass added to its last bin; Q is the cut histogram merged into <paramref name="levels"/> groups, each
    /// group's mass spread evenly over its non-empty bins.</summary>
    private static double Candidate(double[] histogram, double[] above, int levels, int i, double[] p, double[] q)
    {
        for (var j = 0; j < i; j++)
        {
            p[j] = histogram[j];
        }
        p[i - 1] += above[i];
        for (var k = 0; k < levels; k++)
        {
            var start = (int)((long)k * i / levels);
            var end = (int)((long)(k + 1) * i / levels);
            double sum = 0;
            var nonEmpty = 0;
            for (var j = start; j < end; j++)
            {
                sum += histogram[j];
                if (histogram[j] != 0)
                {
                    nonEmpty++;
                }
            }
            var share = nonEmpty == 0 ? 0 : sum / nonEmpty;
            for (var j = start; j < end; j++)
            {
                q[j] = histogram[j] != 0 ? share : 0;
            }
        }
        return Divergence(p.AsSpan(0, i), q.AsSpan(0, i));
    }

    /// <summary>KL(P‖Q) of two unnormalised histograms; a bin where Q is empty but P is not costs as if Q held a
    /// tiny fraction of the mass, so such thresholds lose without making the sum infinite.</summary>
    private static double Divergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sp = 0, sq = 0;
        for (var j = 0; j < p.Length; j++)
        {
            sp += p[j];
            sq += q[j];
        }
        if (sp <= 0)
        {
            return 0;
        }
        if (sq <= 0)
        {
            return double.PositiveInfinity;
        }
        const double floor = 1e-10;
        double kl = 0;
        for (var j = 0; j < p.Length; j++)
        {
            if (p[j] > 0)
            {
                var pj = p[j] / sp;
                var qj = Math.Max(q[j] / sq, floor);
                kl += pj * Math.Log(pj / qj);
            }
        }
        return kl;
    }
}
