namespace ModelZoo.Tasks;

/// <summary>Options of a <see cref="FeatureExtractor"/> call. The vector is the model's output as it is; there is
/// nothing to choose yet, and the record keeps the task's shape the same as the others'.</summary>
public sealed record FeatureVectorOptions;
