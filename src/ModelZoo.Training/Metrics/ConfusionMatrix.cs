using System.Text;
using System.Text.Json;

namespace ModelZoo.Training.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs, with accuracy and per-class precision, recall and F1.
/// Rows are true classes, columns predictions. Not thread-safe.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Creates an empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), "A confusion matrix needs at least one class.");
        }

        ClassCount = classes;
        _counts = new int[classes, classes];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of samples added.</summary>
    public int Total { get; private set; }

    /// <summary>A copy of the counts, indexed <c>[truth, predicted]</c>.</summary>
    public int[,] Counts => (int[,])_counts.Clone();

    /// <summary>Count of samples of class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>Fraction of samples on the diagonal (0 when empty).</summary>
    public double Accuracy
    {
        get
        {
            if (Total == 0)
            {
                return 0;
            }

            long correct = 0;
            for (int i = 0; i < ClassCount; i++)
            {
                correct += _counts[i, i];
            }

            return (double)correct / Total;
        }
    }

    /// <summary>Unweighted mean of per-class F1 over classes that have support or predictions.</summary>
    public double MacroF1
    {
        get
        {
            double sum = 0;
            int present = 0;
            for (int i = 0; i < ClassCount; i++)
            {
                if (RowSum(i) == 0 && ColumnSum(i) == 0)
                {
                    continue;
                }

                sum += PerClass(i).F1;
                present++;
            }

            return present == 0 ? 0 : sum / present;
        }
    }

    /// <summary>Records one sample.</summary>
    public void Add(int truth, int predicted)
    {
        if ((uint)truth >= (uint)ClassCount || (uint)predicted >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(truth), $"Class indices must lie in [0, {ClassCount}); got truth {truth}, predicted {predicted}.");
        }

        _counts[truth, predicted]++;
        Total++;
    }

    /// <summary>Records many samples.</summary>
    public void AddRange(ReadOnlySpan<int> truths, ReadOnlySpan<int> predictions)
    {
        if (truths.Length != predictions.Length)
        {
            throw new ArgumentException("Truths and predictions must have the same length.", nameof(predictions));
        }

        for (int i = 0; i < truths.Length; i++)
        {
            Add(truths[i], predictions[i]);
        }
    }

    /// <summary>Precision, recall, F1 and support of class <paramref name="classIndex"/>.</summary>
    public ClassMetrics PerClass(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, ClassCount);
        int truePositives = _counts[classIndex, classIndex];
        int support = RowSum(classIndex);
        int predicted = ColumnSum(classIndex);
        double precision = predicted == 0 ? 0 : (double)truePositives / predicted;
        double recall = support == 0 ? 0 : (double)truePositives / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(precision, recall, f1, support);
    }

    /// <summary>Writes <c>"per_class": {name: {"precision","recall","f1","support"}}</c>, one entry per class of
    /// <paramref name="classNames"/>: the one shape of <c>metrics.json</c> and <see cref="Transfer.EvaluationResult.ToJson"/>.</summary>
    internal void WritePerClass(Utf8JsonWriter writer, IReadOnlyList<string> classNames)
    {
        writer.WriteStartObject("per_class");
        for (var i = 0; i < classNames.Count; i++)
        {
            var m = PerClass(i);
            writer.WriteStartObject(classNames[i]);
            writer.WriteNumber("precision", m.Precision);
            writer.WriteNumber("recall", m.Recall);
            writer.WriteNumber("f1", m.F1);
            writer.WriteNumber("support", m.Support);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The matrix as CSV: a header of predicted-class names, then one row per true class.</summary>
    public string ToCsv(IReadOnlyList<string>? classNames = null)
    {
        string Name(int i) => classNames is not null && i < classNames.Count ? Quote(classNames[i]) : i.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder("truth\\predicted");
        for (int j = 0; j < ClassCount; j++)
        {
            sb.Append(',').Append(Name(j));
        }

        sb.Append('\n');
        for (int i = 0; i < ClassCount; i++)
        {
            sb.Append(Name(i));
            for (int j = 0; j < ClassCount; j++)
            {
                sb.Append(',').Append(_counts[i, j].ToString(CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private int RowSum(int i)
    {
        int sum = 0;
        for (int j = 0; j < ClassCount; j++)
        {
            sum += _counts[i, j];
        }

        return sum;
    }

    private int ColumnSum(int j)
    {
        int sum = 0;
        for (int i = 0; i < ClassCount; i++)
        {
            sum += _counts[i, j];
        }

        return sum;
    }
}
