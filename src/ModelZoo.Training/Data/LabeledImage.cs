namespace ModelZoo.Training.Data;

/// <summary>One image of a dataset with its class.</summary>
/// <param name="Path">Full path of the image file.</param>
/// <param name="Label">Class name, as it appears in <see cref="ImageDataset.Classes"/>.</param>
/// <param name="ClassIndex">Index of <paramref name="Label"/> in <see cref="ImageDataset.Classes"/>.</param>
public sealed record LabeledImage(string Path, string Label, int ClassIndex);
