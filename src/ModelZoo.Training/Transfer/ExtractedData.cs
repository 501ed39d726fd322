namespace ModelZoo.Training.Transfer;

/// <summary>What a run's extraction produced: one vector per usable image, the augmented views of the training images, the split.</summary>
/// <param name="Identity">Vector of each usable image (as it is), by path.</param>
/// <param name="Augmented">Vectors of the augmented views of each training image, by path (empty without augmentation).</param>
/// <param name="Skipped">Images that could not be read, with the reason.</param>
/// <param name="Split">The usable images split into training and validation.</param>
/// <param name="Hits">Vectors read from the feature cache.</param>
/// <param name="Misses">Vectors computed.</param>
/// <param name="Stages">Time per stage of the vectors computed (none for cache hits).</param>
internal sealed record ExtractedData(Dictionary<string, float[]> Identity, Dictionary<string, IReadOnlyList<float[]>> Augmented,
    List<SkippedImage> Skipped, DatasetSplit Split, int Hits, int Misses, ModelZoo.Tasks.StageTimings Stages)
{
    /// <summary>The training rows: each image, followed by its augmented views when <paramref name="withViews"/>.</summary>
    public FeatureSet TrainSet(int dimension, int classCount, bool withViews) =>
        BuildSet(Split.Train, withViews, dimension, classCount);

    /// <summary>The validation rows, or null without a validation split.</summary>
    public FeatureSet? ValidationSet(int dimension, int classCount) =>
        Split.Validation.Count > 0 ? BuildSet(Split.Validation, false, dimension, classCount) : null;

    /// <summary>Source image of each row of <see cref="TrainSet"/> with views, so that cross-validation keeps an image and its views together.</summary>
    public int[] TrainGroups()
    {
        var groups = new List<int>();
        for (var i = 0; i < Split.Train.Count; i++)
        {
            groups.Add(i);
            if (Augmented.TryGetValue(Split.Train[i].Path, out var extra))
            {
                groups.AddRange(Enumerable.Repeat(i, extra.Count));
            }
        }

        return [.. groups];
    }

    /// <summary>Rows of <paramref name="images"/> in order, each followed by its augmented views when <paramref name="withViews"/>.</summary>
    public IEnumerable<(float[] Values, int Label)> Rows(IReadOnlyList<LabeledImage> images, bool withViews)
    {
        foreach (var image in images)
        {
            yield return (Identity[image.Path], image.ClassIndex);
            if (withViews && Augmented.TryGetValue(image.Path, out var extra))
            {
                foreach (var view in extra)
                {
                    yield return (view, image.ClassIndex);
                }
            }
        }
    }

    private FeatureSet BuildSet(IReadOnlyList<LabeledImage> images, bool withViews, int dimension, int classCount)
    {
        var rows = Rows(images, withViews).ToList();
        var features = new float[rows.Count * dimension];
        var labels = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Values.CopyTo(features, i * dimension);
            labels[i] = rows[i].Label;
        }

        return new FeatureSet(features, labels, rows.Count, dimension, classCount);
    }
}
