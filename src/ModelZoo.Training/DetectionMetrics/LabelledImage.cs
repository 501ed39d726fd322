namespace ModelZoo.Training.DetectionMetrics;

/// <summary>An image of a detection dataset with every object labelled in it (an empty list: nothing to find).</summary>
public sealed record LabelledImage(string Path, IReadOnlyList<GroundTruthBox> Boxes);
