using System.Numerics.Tensors;

namespace ModelZoo.Training.Metrics;

/// <summary>Loss functions over row-major logits <c>[n, classes]</c>.</summary>
public static class Losses
{
    /// <summary>
    /// Softmax cross-entropy, averaged over the batch, computed stably with log-sum-exp. With label
    /// smoothing <c>ε</c> the target is <c>(1 − ε)·onehot + ε/C</c>. With class weights, sample <c>i</c>
    /// counts <c>w[label_i]</c> times and the mean divides by <c>Σ w[label_i]</c> (PyTorch's weighted mean).
    /// </summary>
    /// <param name="logits">Row-major <c>[n, classCount]</c> scores.</param>
    /// <param name="labels">True class of each of the <c>n</c> rows.</param>
    /// <param name="classCount">Number of classes (row length).</param>
    /// <param name="logitGradients">When not empty, receives the gradient of the returned loss with respect to <paramref name="logits"/>.</param>
    /// <param name="labelSmoothing">ε in [0, 1).</param>
    /// <param name="classWeights">Empty for uniform weights, else one non-negative weight per class.</param>
    /// <returns>The mean loss (0 when all sample weights are zero).</returns>
    public static float SoftmaxCrossEntropy(
        ReadOnlySpan<float> logits,
        ReadOnlySpan<int> labels,
        int classCount,
        Span<float> logitGradients = default,
        float labelSmoothing = 0f,
        ReadOnlySpan<float> classWeights = default)
    {
        int n = labels.Length;
        Validate(logits, labels, classCount, labelSmoothing, classWeights);
        bool wantGradient = !logitGradients.IsEmpty;
        if (wantGradient && logitGradients.Length < n * classCount)
        {
            throw new ArgumentException("Destination is too short for the logit gradients.", nameof(logitGradients));
        }

        double weightSum = 0;
        if (classWeights.IsEmpty)
        {
            weightSum = n;
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                weightSum += classWeights[labels[i]];
            }
        }

        float scale = weightSum > 0 ? (float)(1.0 / weightSum) : 0f;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float w = classWeights.IsEmpty ? 1f : classWeights[labels[i]];
            ReadOnlySpan<float> row = logits.Slice(i * classCount, classCount);
            Span<float> grad = wantGradient ? logitGradients.Slice(i * classCount, classCount) : default;
            total += w * RowLoss(row, labels[i], labelSmoothing, grad, w * scale);
        }

        return (float)(total * scale);
    }

    /// <summary>
    /// Sums <c>w[label]·loss</c> over rows and the weights themselves, without gradients: lets a caller
    /// average over a data set evaluated in chunks.
    /// </summary>
    internal static (double WeightedLoss, double WeightSum) SoftmaxCrossEntropySums(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount, float labelSmoothing, ReadOnlySpan<float> classWeights)
    {
        double total = 0, weights = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            float w = classWeights.IsEmpty ? 1f : classWeights[labels[i]];
            if (w == 0f)
            {
                continue;
            }

            total += w * RowLoss(logits.Slice(i * classCount, classCount), labels[i], labelSmoothing, default, 0f);
            weights += w;
        }

        return (total, weights);
    }

    /// <summary>Row-wise softmax of <c>[n, classCount]</c> logits into <paramref name="probabilities"/> (may alias).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, int classCount, Span<float> probabilities)
    {
        if (classCount < 1 || logits.Length % classCount != 0)
        {
            throw new ArgumentException("Logits length must be a multiple of the class count.", nameof(logits));
        }

        if (probabilities.Length < logits.Length)
        {
            throw new ArgumentException("Destination is too short for the probabilities.", nameof(probabilities));
        }

        for (int i = 0; i < logits.Length; i += classCount)
        {
            TensorPrimitives.SoftMax(logits.Slice(i, classCount), probabilities.Slice(i, classCount));
        }
    }

    // loss = lse(z) − Σ q_c z_c with q = (1−ε)·onehot(y) + ε/C; d loss / d z = softmax(z) − q.
    private static float RowLoss(ReadOnlySpan<float> z, int label, float smoothing, Span<float> grad, float gradScale)
    {
        int c = z.Length;
        Span<float> e = c <= 512 ? stackalloc float[c] : new float[c];
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, e);
        TensorPrimitives.Exp(e, e);
        float sumExp = TensorPrimitives.Sum<float>(e);
        double lse = max + Math.Log(sumExp);
        double offValue = smoothing / c;
        double loss = lse - (1.0 - smoothing) * z[label] - (smoothing == 0f ? 0.0 : offValue * TensorPrimitives.Sum(z));
        if (!grad.IsEmpty)
        {
            TensorPrimitives.Multiply(e, gradScale / sumExp, grad);
            if (smoothing != 0f)
            {
                TensorPrimitives.Subtract(grad, (float)(offValue * gradScale), grad);
            }

            grad[label] -= (1f - smoothing) * gradScale;
        }

        return (float)loss;
    }

    private static void Validate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount, float labelSmoothing, ReadOnlySpan<float> classWeights)
    {
        if (classCount < 1 || logits.Length < labels.Length * classCount)
        {
            throw new ArgumentException("Logits must hold labels.Length × classCount values.", nameof(logits));
        }

        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), "Label smoothing must lie in [0, 1).");
        }

        if (!classWeights.IsEmpty && classWeights.Length != classCount)
        {
            throw new ArgumentException("Pass one class weight per class, or none.", nameof(classWeights));
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} is outside [0, {classCount}).");
            }
        }
    }
}
