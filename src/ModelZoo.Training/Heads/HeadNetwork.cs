using System.Numerics.Tensors;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Heads;

/// <summary>
/// The trainable network behind a head: parameters, forward pass with dropout, and backward pass.
/// Buffers are reused between steps, so an instance serves one training loop at a time.
/// </summary>
internal sealed class HeadNetwork
{
    private readonly Parameter[] _parameters;
    private float[] _hidden = [];
    private float[] _hiddenScale = [];
    private float[] _hiddenGrad = [];

    public HeadNetwork(HeadKind kind, int inputSize, int hiddenUnits, int classCount, float dropout, SplitMix64 rng)
    {
        Kind = kind;
        InputSize = inputSize;
        ClassCount = classCount;
        Dropout = dropout;
        if (kind == HeadKind.Linear)
        {
            HiddenUnits = 0;
            var w = new float[classCount * inputSize];
            // Glorot/Xavier uniform: keeps logit variance independent of the feature width.
            rng.FillUniform(w, MathF.Sqrt(6f / (inputSize + classCount)));
            _parameters = [new Parameter("fc.weight", w), new Parameter("fc.bias", new float[classCount], applyWeightDecay: false)];
        }
        else
        {
            HiddenUnits = hiddenUnits;
            var w1 = new float[hiddenUnits * inputSize];
            // He/Kaiming uniform for the ReLU layer, Glorot for the output layer.
            rng.FillUniform(w1, MathF.Sqrt(6f / inputSize));
            var w2 = new float[classCount * hiddenUnits];
            rng.FillUniform(w2, MathF.Sqrt(6f / (hiddenUnits + classCount)));
            _parameters =
            [
                new Parameter("fc1.weight", w1),
                new Parameter("fc1.bias", new float[hiddenUnits], applyWeightDecay: false),
                new Parameter("fc2.weight", w2),
                new Parameter("fc2.bias", new float[classCount], applyWeightDecay: false),
            ];
        }
    }

    public HeadKind Kind { get; }

    public int InputSize { get; }

    public int HiddenUnits { get; }

    public int ClassCount { get; }

    public float Dropout { get; }

    public int MaxParallel { get; set; } = 1;

    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Logits of the last forward pass, row-major [rows, ClassCount].</summary>
    public float[] Logits { get; private set; } = [];

    /// <summary>Gradient of the loss with respect to <see cref="Logits"/>, filled by the caller before <see cref="Backward"/>.</summary>
    public float[] LogitGradients { get; private set; } = [];

    public void EnsureCapacity(int rows)
    {
        if (Logits.Length >= rows * ClassCount)
        {
            return;
        }

        Logits = new float[rows * ClassCount];
        LogitGradients = new float[rows * ClassCount];
        if (Kind == HeadKind.Mlp)
        {
            _hidden = new float[rows * HiddenUnits];
            _hiddenScale = new float[rows * HiddenUnits];
            _hiddenGrad = new float[rows * HiddenUnits];
        }
    }

    /// <summary>Forward pass over rows <c>rowIndex[0..rows)</c> of <paramref name="x"/> (or its first rows when null).</summary>
    public void Forward(float[] x, int[]? rowIndex, int rows, bool training, SplitMix64? dropoutRng)
    {
        EnsureCapacity(rows);
        Parameter[] p = _parameters;
        if (Kind == HeadKind.Linear)
        {
            DenseKernels.Forward(x, rowIndex, rows, InputSize, p[0].Value, p[1].Value, ClassCount, Logits, relu: false, MaxParallel);
            return;
        }

        int h = HiddenUnits;
        DenseKernels.Forward(x, rowIndex, rows, InputSize, p[0].Value, p[1].Value, h, _hidden, relu: true, MaxParallel);
        Span<float> hidden = _hidden.AsSpan(0, rows * h);
        Span<float> scale = _hiddenScale.AsSpan(0, rows * h);
        if (training && Dropout > 0f && dropoutRng is not null)
        {
            float keep = 1f / (1f - Dropout);
            for (int i = 0; i < hidden.Length; i++)
            {
                // The scale is also the ReLU derivative: zero where the unit is off or dropped.
                float s = dropoutRng.NextSingle() >= Dropout && hidden[i] > 0f ? keep : 0f;
                scale[i] = s;
                hidden[i] *= s;
            }
        }
        else
        {
            for (int i = 0; i < hidden.Length; i++)
            {
                scale[i] = hidden[i] > 0f ? 1f : 0f;
            }
        }

        DenseKernels.Forward(_hidden, null, rows, h, p[2].Value, p[3].Value, ClassCount, Logits, relu: false, MaxParallel);
    }

    /// <summary>Writes every parameter's gradient from <see cref="LogitGradients"/>; same inputs as the preceding <see cref="Forward"/>.</summary>
    public void Backward(float[] x, int[]? rowIndex, int rows)
    {
        Parameter[] p = _parameters;
        int c = ClassCount;
        if (Kind == HeadKind.Linear)
        {
            DenseKernels.WeightedRowSums(p[0].Gradient, c, InputSize, x, rowIndex, rows, LogitGradients, 1, c, MaxParallel);
            DenseKernels.ColumnSums(LogitGradients, rows, c, p[1].Gradient);
            return;
        }

        int h = HiddenUnits;
        DenseKernels.WeightedRowSums(p[2].Gradient, c, h, _hidden, null, rows, LogitGradients, 1, c, MaxParallel);
        DenseKernels.ColumnSums(LogitGradients, rows, c, p[3].Gradient);
        DenseKernels.WeightedRowSums(_hiddenGrad, rows, h, p[2].Value, null, c, LogitGradients, c, 1, MaxParallel);
        Span<float> gh = _hiddenGrad.AsSpan(0, rows * h);
        TensorPrimitives.Multiply(gh, _hiddenScale.AsSpan(0, rows * h), gh);
        DenseKernels.WeightedRowSums(p[0].Gradient, h, InputSize, x, rowIndex, rows, _hiddenGrad, 1, h, MaxParallel);
        DenseKernels.ColumnSums(_hiddenGrad, rows, h, p[1].Gradient);
    }

    public float[][] Snapshot() => _parameters.Select(q => (float[])q.Value.Clone()).ToArray();

    public void Restore(float[][] snapshot)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            snapshot[i].AsSpan().CopyTo(_parameters[i].Value);
        }
    }

    /// <summary>
    /// Copies the weights into a head. When the network was trained on standardised features
    /// (<c>(x − mean) · invStd</c>), folds that transform into the first layer:
    /// <c>W' = W · diag(invStd)</c>, <c>b' = b − W' · mean</c>.
    /// </summary>
    public ClassificationHead ToHead(float[]? mean, float[]? invStd)
    {
        Parameter[] p = _parameters;
        int firstOut = Kind == HeadKind.Linear ? ClassCount : HiddenUnits;
        float[] w = (float[])p[0].Value.Clone();
        float[] b = (float[])p[1].Value.Clone();
        if (mean is not null && invStd is not null)
        {
            for (int o = 0; o < firstOut; o++)
            {
                Span<float> row = w.AsSpan(o * InputSize, InputSize);
                TensorPrimitives.Multiply(row, invStd, row);
                double shift = 0;
                for (int k = 0; k < InputSize; k++)
                {
                    shift += (double)row[k] * mean[k];
                }

                b[o] = (float)(b[o] - shift);
            }
        }

        if (Kind == HeadKind.Linear)
        {
            return new ClassificationHead(Kind, [new HeadLayer(w, ClassCount, InputSize, b, HeadActivation.None)]);
        }

        return new ClassificationHead(Kind,
        [
            new HeadLayer(w, HiddenUnits, InputSize, b, HeadActivation.Relu),
            new HeadLayer((float[])p[2].Value.Clone(), ClassCount, HiddenUnits, (float[])p[3].Value.Clone(), HeadActivation.None),
        ]);
    }
}
