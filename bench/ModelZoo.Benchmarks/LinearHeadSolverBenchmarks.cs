using BenchmarkDotNet.Attributes;
using ModelZoo.Training.Heads;

namespace ModelZoo.Benchmarks;

/// <summary>
/// The default linear-head solve (<see cref="LinearHeadSolver.Solve"/>: L2 path over the grid, selection fit, refit on
/// all rows) on synthetic 512-d ResNet-18-like features (non-negative, like pooled ReLU activations), 10 classes.
/// <see cref="Rows"/> training rows plus a fifth as many validation rows; below 100 validation rows the strength is
/// chosen by 5-fold cross-validation, as <c>zoo train</c> does on small data.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LinearHeadSolverBenchmarks
{
    private const int Dimension = 512, Classes = 10;
    private FeatureSet? _train, _validation;

    /// <summary>Training rows.</summary>
    [Params(300, 2_000, 10_000)]
    public int Rows { get; set; }

    /// <summary>Threads an evaluation may use (results are identical for any value).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the feature sets: one random centre per class plus uniform noise, clipped at zero.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var centers = new float[Classes * Dimension];
        for (var i = 0; i < centers.Length; i++)
        {
            centers[i] = (float)(random.NextDouble() * 2 - 1);
        }

        FeatureSet Sample(int rows)
        {
            var x = new float[rows * Dimension];
            var y = new int[rows];
            for (var i = 0; i < rows; i++)
            {
                y[i] = i % Classes;
                for (var k = 0; k < Dimension; k++)
                {
                    x[i * Dimension + k] = Math.Max(0f, centers[y[i] * Dimension + k] + (float)(random.NextDouble() * 8 - 4));
                }
            }

            return new FeatureSet(x, y, rows, Dimension, Classes);
        }

        _train = Sample(Rows);
        _validation = Sample(Rows / 5);
    }

    /// <summary>One default solve.</summary>
    [Benchmark]
    public double Solve() => new LinearHeadSolver(new LinearHeadSolverOptions { MaxDegreeOfParallelism = Threads }).Solve(_train!, _validation).L2;
}
