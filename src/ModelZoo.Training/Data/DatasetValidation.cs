namespace ModelZoo.Training.Data;

/// <summary>Checks that a labelled image set can train a classifier.</summary>
public static class DatasetValidation
{
    /// <summary>Smallest number of classes a classifier can learn.</summary>
    public const int MinimumClasses = 2;

    /// <summary>Smallest number of usable images per class (one to train on, one to validate with).</summary>
    public const int MinimumImagesPerClass = 2;

    /// <summary>
    /// Throws a <see cref="DatasetException"/> unless there are at least two classes and every class
    /// has at least two usable images. A class missing from <paramref name="usableCounts"/> counts as zero.
    /// </summary>
    /// <param name="classes">Class names in index order.</param>
    /// <param name="usableCounts">Number of images per class that could be read.</param>
    public static void EnsureTrainable(IReadOnlyList<string> classes, IReadOnlyDictionary<string, int> usableCounts)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(usableCounts);
        if (classes.Count == 0)
        {
            throw new DatasetException(DatasetException.EmptyCode,
                "the dataset has no classes; add one sub-folder of images per class (or rows to the CSV).");
        }

        if (classes.Count < MinimumClasses)
        {
            throw new DatasetException(DatasetException.TooFewClassesCode, string.Create(CultureInfo.InvariantCulture,
                $"found only 1 class '{classes[0]}'; a classifier needs at least {MinimumClasses} — add images of at least one more class."));
        }

        var small = classes
            .Select(c => (Name: c, Count: usableCounts.TryGetValue(c, out var n) ? n : 0))
            .Where(c => c.Count < MinimumImagesPerClass)
            .ToList();
        if (small.Count > 0)
        {
            var list = string.Join(", ", small.Take(5).Select(c => string.Create(CultureInfo.InvariantCulture,
                $"'{c.Name}' has {c.Count} usable image{(c.Count == 1 ? "" : "s")}")));
            if (small.Count > 5)
            {
                list += string.Create(CultureInfo.InvariantCulture, $" and {small.Count - 5} more");
            }

            throw new DatasetException(DatasetException.ClassTooSmallCode, string.Create(CultureInfo.InvariantCulture,
                $"every class needs at least {MinimumImagesPerClass} usable images, but {list}; add more images to those classes or remove them."));
        }
    }
}
