using ModelZoo.Training.Metrics;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.FineTuning;

/// <summary>Cached activations of the frozen prefix (one flat array per row) and their labels.</summary>
internal sealed record ActivationRows(List<float[]> Values, int[] Labels)
{
    /// <summary>Rows evaluated together by <see cref="Score"/>.</summary>
    public const int InferenceBatch = 32;

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>The rows of <paramref name="images"/>, each followed by its augmented views when <paramref name="withViews"/>.</summary>
    public static ActivationRows Of(ExtractedData data, IReadOnlyList<LabeledImage> images, bool withViews)
    {
        var rows = data.Rows(images, withViews).ToList();
        return new ActivationRows([.. rows.Select(r => r.Values)], [.. rows.Select(r => r.Label)]);
    }

    /// <summary>The activations of the rows at <paramref name="index"/>, concatenated, and their labels.</summary>
    public (float[] Activations, int[] Labels) Gather(int[] index)
    {
        var size = Values[0].Length;
        var activations = new float[index.Length * size];
        var labels = new int[index.Length];
        for (var i = 0; i < index.Length; i++)
        {
            Values[index[i]].CopyTo(activations, i * size);
            labels[i] = Labels[index[i]];
        }

        return (activations, labels);
    }

    /// <summary>The session's confusion matrix, mean cross-entropy and class probabilities on these rows.</summary>
    public (ConfusionMatrix Confusion, double Loss, float[] Probabilities) Score(FineTuneSession session, int classCount)
    {
        var probabilities = new float[Count * classCount];
        var confusion = new ConfusionMatrix(classCount);
        double loss = 0;
        for (var start = 0; start < Count; start += InferenceBatch)
        {
            var index = Enumerable.Range(start, Math.Min(InferenceBatch, Count - start)).ToArray();
            var (activations, labels) = Gather(index);
            var logits = session.Logits(activations, index.Length);
            var chunk = probabilities.AsSpan(start * classCount, index.Length * classCount);
            Losses.Softmax(logits, classCount, chunk);
            for (var i = 0; i < index.Length; i++)
            {
                var row = chunk.Slice(i * classCount, classCount);
                confusion.Add(labels[i], row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)));
                loss -= Math.Log(Math.Max(row[labels[i]], 1e-12f));
            }
        }

        return (confusion, loss / Count, probabilities);
    }
}
