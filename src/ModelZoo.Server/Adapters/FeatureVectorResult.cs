namespace ModelZoo.Server.Adapters;

/// <summary>Native response of an image-feature-vector model: <c>{"vector":[…]}</c>.</summary>
/// <param name="Vector">The embedding, as the model outputs it.</param>
public sealed record FeatureVectorResult(float[] Vector);
