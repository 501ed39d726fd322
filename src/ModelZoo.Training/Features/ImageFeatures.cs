namespace ModelZoo.Training.Features;

/// <summary>The feature vectors of one image, or why it has none.</summary>
/// <param name="Path">The image file.</param>
/// <param name="ContentSha256">SHA-256 of the file's bytes; null when it could not be read.</param>
/// <param name="Views">The augmented views, in plan order (the first is the image itself when the plan starts with identity).</param>
/// <param name="Features">One vector per view; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the image was skipped (unreadable, not an image, changed while reading).</param>
public sealed record ImageFeatures(string Path, string? ContentSha256, IReadOnlyList<AugmentationView> Views,
    IReadOnlyList<float[]>? Features, ZooException? Error)
{
    /// <summary>True when every view has a vector.</summary>
    public bool Succeeded => Error is null && Features is not null;
}
