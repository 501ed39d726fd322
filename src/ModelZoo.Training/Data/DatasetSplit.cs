namespace ModelZoo.Training.Data;

/// <summary>A dataset divided into a training part and a validation part (see <see cref="ImageDataset.Split"/>).</summary>
/// <param name="Train">Images to fit the head on, ordered by class index then path.</param>
/// <param name="Validation">Held-out images, ordered by class index then path.</param>
public sealed record DatasetSplit(IReadOnlyList<LabeledImage> Train, IReadOnlyList<LabeledImage> Validation);
