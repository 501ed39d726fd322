using ModelZoo.Training.Heads;

namespace ModelZoo.Training.Tests.Heads;

/// <summary>Synthetic feature sets: one Gaussian cloud per class around a random centre.</summary>
internal sealed class GaussianBlobs
{
    private readonly float[] _centers;
    private readonly Random _random;

    /// <param name="classes">Number of classes.</param>
    /// <param name="dimension">Feature length.</param>
    /// <param name="separation">Standard deviation of the class centres (noise has standard deviation 1).</param>
    /// <param name="seed">Seed for centres and samples.</param>
    public GaussianBlobs(int classes, int dimension, float separation, int seed)
    {
        Classes = classes;
        Dimension = dimension;
        _random = new Random(seed);
        _centers = new float[classes * dimension];
        for (int i = 0; i < _centers.Length; i++)
        {
            _centers[i] = separation * Normal();
        }
    }

    public int Classes { get; }

    public int Dimension { get; }

    /// <summary>Draws <c>perClass[k]</c> samples of class k, interleaved; <paramref name="labelNoise"/> of labels are replaced by random classes.</summary>
    public FeatureSet Sample(int[] perClass, float labelNoise = 0f, float scale = 1f, float offset = 0f)
    {
        int n = perClass.Sum();
        var labels = new List<int>(n);
        int[] remaining = (int[])perClass.Clone();
        while (labels.Count < n)
        {
            for (int k = 0; k < Classes; k++)
            {
                if (remaining[k]-- > 0)
                {
                    labels.Add(k);
                }
            }
        }

        var x = new float[n * Dimension];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = labels[i];
            for (int j = 0; j < Dimension; j++)
            {
                x[i * Dimension + j] = (_centers[k * Dimension + j] + Normal()) * scale + offset;
            }

            y[i] = _random.NextDouble() < labelNoise ? _random.Next(Classes) : k;
        }

        return new FeatureSet(x, y, n, Dimension, Classes);
    }

    public FeatureSet Sample(int perClass, float labelNoise = 0f, float scale = 1f, float offset = 0f) =>
        Sample(Enumerable.Repeat(perClass, Classes).ToArray(), labelNoise, scale, offset);

    private float Normal()
    {
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
