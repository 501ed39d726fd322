using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Tests.Metrics;

public class LossesTests
{
    [Fact]
    public void UniformLogitsGiveLogOfClassCount()
    {
        float loss = Losses.SoftmaxCrossEntropy(new float[8], [0, 3], 4);
        Assert.Equal(MathF.Log(4), loss, 1e-6f);
    }

    [Fact]
    public void MatchesHandComputedValueWithSmoothingAndWeights()
    {
        float[] logits = [2f, 0f, -1f, 0.5f, 1.5f, 0f];
        int[] labels = [0, 1];
        float[] weights = [1f, 3f, 1f];
        const float eps = 0.3f;

        double Row(int r, int y)
        {
            double[] z = [logits[r * 3], logits[r * 3 + 1], logits[r * 3 + 2]];
            double lse = Math.Log(z.Sum(Math.Exp));
            return Enumerable.Range(0, 3).Sum(k => -((k == y ? 1 - eps : 0) + eps / 3) * (z[k] - lse));
        }

        double expected = (1 * Row(0, 0) + 3 * Row(1, 1)) / 4;
        Assert.Equal(expected, Losses.SoftmaxCrossEntropy(logits, labels, 3, default, eps, weights), 5);
    }

    [Fact]
    public void HugeLogitsStayFinite()
    {
        var grad = new float[4];
        float loss = Losses.SoftmaxCrossEntropy([1e4f, -1e4f, 0f, 5e3f], [1], 4, grad);
        Assert.Equal(2e4f, loss, 1f);
        Assert.All(grad, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(1f, grad[0], 1e-6f);
        Assert.Equal(-1f, grad[1], 1e-6f);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        float[] logits = [0.3f, -1.2f, 2.0f, 0.7f, 0.1f, -0.4f, 1.1f, -2.2f];
        int[] labels = [2, 0];
        float[] weights = [2f, 1f, 0.5f, 1f];
        var grad = new float[logits.Length];
        Losses.SoftmaxCrossEntropy(logits, labels, 4, grad, 0.1f, weights);
        for (int i = 0; i < logits.Length; i++)
        {
            float saved = logits[i];
            logits[i] = saved + 1e-3f;
            double plus = Losses.SoftmaxCrossEntropy(logits, labels, 4, default, 0.1f, weights);
            logits[i] = saved - 1e-3f;
            double minus = Losses.SoftmaxCrossEntropy(logits, labels, 4, default, 0.1f, weights);
            logits[i] = saved;
            Assert.Equal((plus - minus) / 2e-3, grad[i], 3);
        }
    }

    [Fact]
    public void SoftmaxRowsSumToOne()
    {
        float[] p = new float[6];
        Losses.Softmax([1f, 2f, 3f, -5f, 0f, 5f], 3, p);
        Assert.Equal(1f, p[0] + p[1] + p[2], 1e-6f);
        Assert.Equal(1f, p[3] + p[4] + p[5], 1e-6f);
        Assert.True(p[2] > p[1] && p[1] > p[0]);
    }

    [Fact]
    public void RejectsOutOfRangeLabelsAndSmoothing()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy(new float[4], [2], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy(new float[4], [1], 2, default, 1f));
    }
}
