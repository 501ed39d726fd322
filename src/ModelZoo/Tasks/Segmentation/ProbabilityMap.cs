namespace ModelZoo.Tasks;

/// <summary>One class's probabilities on the model's output grid, which spans the model input.</summary>
internal sealed record ProbabilityMap(string Label, int Width, int Height, float[] Values);
