using ModelZoo.Training.Heads;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Tests.Heads;

public class HeadNetworkGradientTests
{
    private const int D = 19, H = 10, C = 5, Rows = 9;

    [Theory]
    [InlineData(HeadKind.Linear, 0f, false)]
    [InlineData(HeadKind.Linear, 0.1f, true)]
    [InlineData(HeadKind.Mlp, 0f, false)]
    [InlineData(HeadKind.Mlp, 0.2f, true)]
    public void BackwardMatchesCentralFiniteDifferences(HeadKind kind, float smoothing, bool weighted)
    {
        var rng = new SplitMix64(42);
        var net = new HeadNetwork(kind, D, H, C, dropout: 0f, rng);
        var x = new float[Rows * D];
        rng.FillUniform(x, 2f);
        int[] labels = [0, 1, 2, 3, 4, 1, 2, 0, 4];
        int[] rows = [8, 0, 3, 5, 1, 7, 2, 6, 4]; // gathered rows, as the trainer passes them
        int[] gatheredLabels = rows.Select(r => labels[r]).ToArray();
        float[] weights = weighted ? [0.5f, 2f, 1f, 3f, 1.5f] : [];

        float Loss()
        {
            net.Forward(x, rows, Rows, training: true, dropoutRng: null);
            return Losses.SoftmaxCrossEntropy(net.Logits.AsSpan(0, Rows * C), gatheredLabels, C, net.LogitGradients, smoothing, weights);
        }

        Loss();
        net.Backward(x, rows, Rows);
        float[][] analytic = net.Parameters.Select(p => (float[])p.Gradient.Clone()).ToArray();

        const float eps = 1e-3f;
        int checkedCount = 0;
        for (int pi = 0; pi < net.Parameters.Count; pi++)
        {
            Parameter p = net.Parameters[pi];
            for (int i = 0; i < p.Length; i++)
            {
                float saved = p.Value[i];
                p.Value[i] = saved + eps;
                double plus = Loss();
                p.Value[i] = saved - eps;
                double minus = Loss();
                p.Value[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                Assert.True(
                    Math.Abs(numeric - analytic[pi][i]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{p.Name}[{i}]: analytic {analytic[pi][i]}, numeric {numeric}");
                checkedCount++;
            }
        }

        Assert.Equal(kind == HeadKind.Linear ? C * D + C : H * D + H + C * H + C, checkedCount);
        Assert.Contains(analytic, g => g.Any(v => Math.Abs(v) > 1e-3f));
    }

    [Fact]
    public void DropoutZeroesDroppedUnitsInTheGradient()
    {
        var rng = new SplitMix64(3);
        var net = new HeadNetwork(HeadKind.Mlp, D, 64, C, dropout: 0.5f, rng);
        var x = new float[Rows * D];
        rng.FillUniform(x, 1f);
        int[] labels = [0, 1, 2, 3, 0, 1, 2, 3, 0];
        net.Forward(x, null, Rows, training: true, dropoutRng: new SplitMix64(9));
        Losses.SoftmaxCrossEntropy(net.Logits.AsSpan(0, Rows * C), labels, C, net.LogitGradients);
        net.Backward(x, null, Rows);

        // A hidden unit dropped (or inactive) for every row gets no gradient in its fc1 row.
        float[] g1 = net.Parameters[0].Gradient;
        int zeroRows = Enumerable.Range(0, 64).Count(h => g1.AsSpan(h * D, D).IndexOfAnyExcept(0f) < 0);
        Assert.InRange(zeroRows, 1, 63);
    }

    [Fact]
    public void FoldedStandardizationGivesTheSameLogitsOnRawFeatures()
    {
        foreach (HeadKind kind in new[] { HeadKind.Linear, HeadKind.Mlp })
        {
            var rng = new SplitMix64(5);
            var net = new HeadNetwork(kind, D, H, C, dropout: 0f, rng);
            var raw = new float[Rows * D];
            rng.FillUniform(raw, 10f);
            var mean = new float[D];
            var invStd = new float[D];
            rng.FillUniform(mean, 3f);
            for (int k = 0; k < D; k++)
            {
                invStd[k] = k == 2 ? 0f : 0.2f + k * 0.1f;
            }

            var standardized = new float[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                standardized[i] = (raw[i] - mean[i % D]) * invStd[i % D];
            }

            net.Forward(standardized, null, Rows, training: false, dropoutRng: null);
            float[] expected = net.Logits.AsSpan(0, Rows * C).ToArray();
            float[] actual = net.ToHead(mean, invStd).ComputeLogits(raw, Rows);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 1e-3f);
            }
        }
    }
}
