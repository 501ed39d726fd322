using BenchmarkDotNet.Attributes;
using ModelZoo.Training.Heads;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Head training on cached features: 10,000 synthetic 512-d ResNet-18-like feature vectors (non-negative,
/// like pooled ReLU activations), 10 classes, linear head, Adam with cosine schedule. One operation is
/// a full training run of <see cref="Epochs"/> epochs. Target: 100 epochs under 2 s on 2 cores.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class HeadTrainerBenchmarks
{
    private const int Rows = 10_000, Dimension = 512, Classes = 10;
    private FeatureSet? _train;

    /// <summary>Rows per optimizer step.</summary>
    [Params(32, 256)]
    public int BatchSize { get; set; }

    /// <summary>Head shape.</summary>
    [Params(HeadKind.Linear)]
    public HeadKind Head { get; set; }

    /// <summary>Epochs per operation.</summary>
    [Params(100)]
    public int Epochs { get; set; }

    /// <summary>Threads a step may use (results are identical for any value).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the feature set: one random centre per class plus uniform noise, clipped at zero.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var centers = new float[Classes * Dimension];
        for (var i = 0; i < centers.Length; i++)
        {
            centers[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var x = new float[Rows * Dimension];
        var y = new int[Rows];
        for (var i = 0; i < Rows; i++)
        {
            y[i] = i % Classes;
            for (var k = 0; k < Dimension; k++)
            {
                x[i * Dimension + k] = Math.Max(0f, centers[y[i] * Dimension + k] + (float)(random.NextDouble() * 4 - 2));
            }
        }

        _train = new FeatureSet(x, y, Rows, Dimension, Classes);
    }

    /// <summary>One full training run.</summary>
    [Benchmark]
    public float Train()
    {
        var options = new HeadTrainingOptions { Head = Head, Epochs = Epochs, BatchSize = BatchSize, MaxDegreeOfParallelism = Threads };
        return new HeadTrainer(options).Train(_train!).History.Epochs[^1].TrainLoss;
    }
}
