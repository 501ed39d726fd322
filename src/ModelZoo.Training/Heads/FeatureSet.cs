namespace ModelZoo.Training.Heads;

/// <summary>Feature vectors with their labels, row-major <c>[Count, Dimension]</c>.</summary>
/// <param name="Features">Row-major feature values; at least <c>Count × Dimension</c> long.</param>
/// <param name="Labels">Class index of each row, in [0, <paramref name="ClassCount"/>).</param>
/// <param name="Count">Number of rows.</param>
/// <param name="Dimension">Length of each feature vector.</param>
/// <param name="ClassCount">Number of classes.</param>
public sealed record FeatureSet(float[] Features, int[] Labels, int Count, int Dimension, int ClassCount)
{
    /// <summary>The feature vector of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * Dimension, Dimension);

    /// <summary>Throws a <see cref="ZooUsageException"/> when sizes or labels are inconsistent.</summary>
    /// <param name="what">How the set is called in messages, e.g. <c>training set</c>.</param>
    public void Validate(string what = "feature set")
    {
        if (Count < 1 || Dimension < 1 || ClassCount < 2)
        {
            throw new ZooUsageException($"The {what} has {Count} rows, dimension {Dimension} and {ClassCount} classes; provide at least one row, one feature and two classes.");
        }

        if (Features is null || Labels is null || Features.Length < (long)Count * Dimension || Labels.Length < Count)
        {
            throw new ZooUsageException($"The {what} declares {Count} rows of {Dimension} features but its arrays are shorter; pass Count × Dimension features and Count labels.");
        }

        for (int i = 0; i < Count; i++)
        {
            if ((uint)Labels[i] >= (uint)ClassCount)
            {
                throw new ZooUsageException($"Row {i} of the {what} has label {Labels[i]}, outside [0, {ClassCount}); fix the labels or the class count.");
            }
        }
    }

    /// <summary>Validates a training set and, when given, a validation set that must match it in dimension and classes.</summary>
    /// <exception cref="ZooUsageException">A set is malformed or they disagree.</exception>
    internal static void ValidatePair(FeatureSet train, FeatureSet? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        train.Validate("training set");
        if (validation is not null)
        {
            validation.Validate("validation set");
            if (validation.Dimension != train.Dimension || validation.ClassCount != train.ClassCount)
            {
                throw new ZooUsageException($"The validation set has dimension {validation.Dimension} and {validation.ClassCount} classes but the training set has {train.Dimension} and {train.ClassCount}; extract both with the same backbone and label set.");
            }
        }
    }
}
