using System.Runtime.CompilerServices;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Heads;

/// <summary>
/// The L2-regularised multinomial logistic loss of a linear head over fixed rows, in double precision:
/// <c>f(W, b) = Σᵢ wᵢ · CE(softmax(W xᵢ + b), tᵢ) + λ/2 · ‖W‖²</c> with row weights <c>wᵢ</c> summing to 1 (the mean
/// loss, or class-balanced weights) and targets <c>tᵢ</c> one-hot or label-smoothed. The biases are not penalised.
/// Parameters are laid out as <c>[W (classes × dimension, row-major), b (classes)]</c>. Rows are summed in fixed chunks
/// that are reduced in order, so the value and gradient do not depend on the number of threads.
/// </summary>
internal sealed class SoftmaxObjective
{
    private const int ChunkCount = 16;
    private const long ParallelWork = 8_000_000;
    private readonly double[] _x;
    private readonly int[] _labels;
    private readonly double[] _rowWeights;
    private readonly int _n;
    private readonly int _d;
    private readonly int _c;
    private readonly double _smoothing;
    private readonly int _maxParallel;
    private readonly double[][] _partialGradients;
    private readonly double[] _partialValues;
    private readonly int[] _partialCorrect;
    private readonly double[] _theta;
    private readonly (int Start, int End)[] _chunks;

    /// <param name="x">Row-major <c>[n, d]</c> features (already scaled as the caller wants).</param>
    /// <param name="labels">Class of each row.</param>
    /// <param name="rowWeights">Weight of each row; normalised here to sum to 1.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="smoothing">Label smoothing ε: targets are <c>1 − ε + ε/C</c> for the label and <c>ε/C</c> elsewhere.</param>
    /// <param name="maxParallel">Most threads one evaluation may use.</param>
    public SoftmaxObjective(double[] x, int[] labels, double[] rowWeights, int classes, double smoothing, int maxParallel)
    {
        _n = labels.Length;
        _d = _n == 0 ? 0 : x.Length / _n;
        _c = classes;
        _x = x;
        _labels = labels;
        double total = 0;
        foreach (double w in rowWeights)
        {
            total += w;
        }

        _rowWeights = rowWeights.Select(w => total > 0 ? w / total : 0).ToArray();
        _smoothing = smoothing;
        _maxParallel = Math.Max(1, maxParallel);
        int chunks = Math.Max(1, Math.Min(ChunkCount, (_n + 31) / 32));
        _chunks = new (int, int)[chunks];
        for (int k = 0; k < chunks; k++)
        {
            _chunks[k] = ((int)((long)_n * k / chunks), (int)((long)_n * (k + 1) / chunks));
        }

        _partialGradients = new double[chunks][];
        for (int k = 0; k < chunks; k++)
        {
            _partialGradients[k] = new double[ParameterCount];
        }

        _partialValues = new double[chunks];
        _partialCorrect = new int[chunks];
        _theta = new double[ParameterCount];
    }

    /// <summary>L2 strength λ.</summary>
    public double L2 { get; set; }

    /// <summary>Length of the parameter vector: classes × dimension weights, then classes biases.</summary>
    public int ParameterCount => (_c * _d) + _c;

    /// <summary>Feature length.</summary>
    public int Dimension => _d;

    /// <summary>
    /// Mean (row-weighted) loss without the penalty, and accuracy, at the point of the last <see cref="Evaluate"/>: what
    /// <see cref="Score"/> would return there, read from the pass that computed the gradient.
    /// </summary>
    public (double Loss, double Accuracy) LastScore { get; private set; }

    /// <summary>Value at <paramref name="theta"/>; the gradient is written to <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double[] parameters = _theta;
        theta.CopyTo(parameters);
        var options = new ParallelOptions { MaxDegreeOfParallelism = _maxParallel };
        // Fanning out costs more than it saves on small problems (and much more on a busy machine).
        if (_maxParallel == 1 || _chunks.Length == 1 || (long)_n * _d * _c < ParallelWork)
        {
            for (int k = 0; k < _chunks.Length; k++)
            {
                Chunk(parameters, k);
            }
        }
        else
        {
            Parallel.For(0, _chunks.Length, options, k => Chunk(parameters, k));
        }

        gradient.Clear();
        double value = 0;
        int correct = 0;
        for (int k = 0; k < _chunks.Length; k++)
        {
            value += _partialValues[k];
            correct += _partialCorrect[k];
            DoubleKernels.Axpy(1.0, _partialGradients[k], gradient);
        }

        LastScore = (value, _n == 0 ? 0 : (double)correct / _n);
        int weights = _c * _d;
        ReadOnlySpan<double> w = parameters.AsSpan(0, weights);
        value += 0.5 * L2 * DoubleKernels.Dot(w, w);
        DoubleKernels.Axpy(L2, w, gradient[..weights]);
        return value;
    }

    /// <summary>Mean (row-weighted) loss and accuracy of the parameters on these rows, without the penalty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Loss, double Accuracy) Score(double[] theta)
    {
        double loss = 0;
        int correct = 0;
        Span<double> z = stackalloc double[_c];
        for (int i = 0; i < _n; i++)
        {
            Logits(theta, i, z);
            int best = IndexOfMax(z);
            correct += best == _labels[i] ? 1 : 0;
            double max = z[best], sum = 0;
            for (int c = 0; c < _c; c++)
            {
                sum += Math.Exp(z[c] - max);
            }

            loss += _rowWeights[i] * (max + Math.Log(sum) - Target(z, i));
        }

        return (loss, _n == 0 ? 0 : (double)correct / _n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Chunk(double[] theta, int k)
    {
        var (start, end) = _chunks[k];
        double[] g = _partialGradients[k];
        Array.Clear(g);
        Span<double> z = stackalloc double[_c];
        Span<double> r = stackalloc double[_c];
        double value = 0;
        int correct = 0;
        int biasOffset = _c * _d;
        Span<double> gw = g.AsSpan(0, biasOffset);
        for (int i = start; i < end; i++)
        {
            Logits(theta, i, z);
            int best = IndexOfMax(z);
            correct += best == _labels[i] ? 1 : 0;
            double wi = _rowWeights[i];
            if (wi == 0)
            {
                continue;
            }

            double max = z[best], sum = 0;
            for (int c = 0; c < _c; c++)
            {
                sum += Math.Exp(z[c] - max);
            }

            double logSum = max + Math.Log(sum);
            value += wi * (logSum - Target(z, i));
            for (int c = 0; c < _c; c++)
            {
                double t = (c == _labels[i] ? 1 - _smoothing : 0) + (_smoothing / _c);
                r[c] = wi * (Math.Exp(z[c] - logSum) - t);
                g[biasOffset + c] += r[c];
            }

            DoubleKernels.OuterAdd(r, _x.AsSpan(i * _d, _d), gw);
        }

        _partialValues[k] = value;
        _partialCorrect[k] = correct;
    }

    private void Logits(double[] theta, int i, Span<double> z) =>
        DoubleKernels.AffineRows(_x.AsSpan(i * _d, _d), theta.AsSpan(0, _c * _d), theta.AsSpan(_c * _d, _c), z);

    // First index of the largest value (the rule of TensorPrimitives.IndexOfMax for finite values).
    private static int IndexOfMax(ReadOnlySpan<double> z)
    {
        int best = 0;
        for (int c = 1; c < z.Length; c++)
        {
            if (z[c] > z[best])
            {
                best = c;
            }
        }

        return best;
    }

    // Σ_c t_c z_c for row i.
    private double Target(ReadOnlySpan<double> z, int i)
    {
        if (_smoothing == 0)
        {
            return z[_labels[i]];
        }

        double sum = 0;
        for (int c = 0; c < _c; c++)
        {
            sum += z[c];
        }

        return ((1 - _smoothing) * z[_labels[i]]) + (_smoothing / _c * sum);
    }
}
