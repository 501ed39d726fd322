using System.Buffers;
using System.Numerics.Tensors;
using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Heads;

/// <summary>
/// A trained classification head: a chain of fully connected <see cref="Layers"/> mapping raw
/// backbone features to class logits. Immutable and thread-safe for inference. Softmax is not part of
/// <see cref="Layers"/>; <see cref="PredictProbabilities"/> applies it.
/// </summary>
public sealed class ClassificationHead
{
    private const int ChunkRows = 256;
    private readonly HeadLayer[] _layers;

    /// <summary>Builds a head from layers (e.g. weights loaded from disk). Arrays are used as given, not copied.</summary>
    /// <exception cref="ZooUsageException">The layers do not chain (each layer's inputs must equal the previous layer's outputs) or arrays are too short.</exception>
    public ClassificationHead(HeadKind kind, IReadOnlyList<HeadLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        int expected = kind == HeadKind.Linear ? 1 : 2;
        if (layers.Count != expected)
        {
            throw new ZooUsageException($"A {kind} head has {expected} layer(s) but {layers.Count} were given; pass the layers of one head.");
        }

        for (int i = 0; i < layers.Count; i++)
        {
            HeadLayer l = layers[i];
            if (l.Rows < 1 || l.Cols < 1 || l.Weight.Length != l.Rows * l.Cols || l.Bias.Length != l.Rows)
            {
                throw new ZooUsageException($"Head layer {i} declares [{l.Rows}, {l.Cols}] but has {l.Weight.Length} weights and {l.Bias.Length} biases; pass Rows × Cols weights and Rows biases.");
            }

            if (i > 0 && l.Cols != layers[i - 1].Rows)
            {
                throw new ZooUsageException($"Head layer {i} takes {l.Cols} inputs but layer {i - 1} gives {layers[i - 1].Rows}; pass layers that chain.");
            }
        }

        Kind = kind;
        _layers = [.. layers];
        if (_layers[^1].Rows < 2)
        {
            throw new ZooUsageException("A classification head needs at least two classes; check the last layer's row count.");
        }
    }

    /// <summary>Head shape.</summary>
    public HeadKind Kind { get; }

    /// <summary>Length of the feature vectors the head takes.</summary>
    public int InputSize => _layers[0].Cols;

    /// <summary>Number of classes (logits per row).</summary>
    public int ClassCount => _layers[^1].Rows;

    /// <summary>The layers in order; each is an ONNX <c>Gemm</c> (<c>transB = 1</c>) plus activation.</summary>
    public IReadOnlyList<HeadLayer> Layers => _layers;

    /// <summary>Writes <c>[n, ClassCount]</c> logits for <c>n</c> row-major feature vectors.</summary>
    public void ComputeLogits(ReadOnlySpan<float> features, int n, Span<float> logits)
    {
        CheckSizes(features, n, logits.Length, "logits");
        int hidden = _layers.Length > 1 ? _layers[0].Rows : 0;
        float[]? buffer = hidden > 0 ? ArrayPool<float>.Shared.Rent(Math.Min(n, ChunkRows) * hidden) : null;
        try
        {
            for (int r0 = 0; r0 < n; r0 += ChunkRows)
            {
                int rows = Math.Min(ChunkRows, n - r0);
                ReadOnlySpan<float> x = features.Slice(r0 * InputSize, rows * InputSize);
                Span<float> dst = logits.Slice(r0 * ClassCount, rows * ClassCount);
                if (buffer is null)
                {
                    Apply(_layers[0], x, rows, dst);
                }
                else
                {
                    Span<float> h = buffer.AsSpan(0, rows * hidden);
                    Apply(_layers[0], x, rows, h);
                    Apply(_layers[1], h, rows, dst);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Convenience overload returning a new <c>[n, ClassCount]</c> array of logits.</summary>
    public float[] ComputeLogits(ReadOnlySpan<float> features, int n)
    {
        var logits = new float[n * ClassCount];
        ComputeLogits(features, n, logits);
        return logits;
    }

    /// <summary>Writes <c>[n, ClassCount]</c> softmax probabilities for <c>n</c> row-major feature vectors.</summary>
    public void PredictProbabilities(ReadOnlySpan<float> features, int n, Span<float> probabilities)
    {
        ComputeLogits(features, n, probabilities);
        Losses.Softmax(probabilities.Slice(0, n * ClassCount), ClassCount, probabilities);
    }

    /// <summary>Writes the most likely class of each of <c>n</c> row-major feature vectors.</summary>
    public void Predict(ReadOnlySpan<float> features, int n, Span<int> classes)
    {
        if (classes.Length < n)
        {
            throw new ArgumentException("Destination is too short for the predicted classes.", nameof(classes));
        }

        float[] logits = ComputeLogits(features, n);
        for (int i = 0; i < n; i++)
        {
            classes[i] = TensorPrimitives.IndexOfMax<float>(logits.AsSpan(i * ClassCount, ClassCount));
        }
    }

    /// <summary>The most likely class of one feature vector.</summary>
    public int Predict(ReadOnlySpan<float> feature)
    {
        Span<int> result = stackalloc int[1];
        Predict(feature, 1, result);
        return result[0];
    }

    /// <summary>Classifies every row of <paramref name="set"/> and tallies the results.</summary>
    public ConfusionMatrix Evaluate(FeatureSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        set.Validate("evaluation set");
        if (set.Dimension != InputSize || set.ClassCount != ClassCount)
        {
            throw new ZooUsageException($"The evaluation set has dimension {set.Dimension} and {set.ClassCount} classes but the head takes {InputSize} and has {ClassCount}; evaluate with features from the same backbone and label set.");
        }

        var predicted = new int[set.Count];
        Predict(set.Features, set.Count, predicted);
        var matrix = new ConfusionMatrix(ClassCount);
        matrix.AddRange(set.Labels.AsSpan(0, set.Count), predicted);
        return matrix;
    }

    private static void Apply(HeadLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output) =>
        DenseKernels.ForwardRows(input, default, 0, rows, layer.Cols, layer.Weight, layer.Bias, layer.Rows, output, layer.Activation == HeadActivation.Relu);

    private void CheckSizes(ReadOnlySpan<float> features, int n, int destinationLength, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (features.Length < n * InputSize)
        {
            throw new ArgumentException($"Features hold {features.Length} values but {n} rows of {InputSize} were requested.", nameof(features));
        }

        if (destinationLength < n * ClassCount)
        {
            throw new ArgumentException($"Destination is too short for the {what}: {n} × {ClassCount} values are needed.", what);
        }
    }
}
