namespace ModelZoo.Tasks;

/// <summary>One class of a classification result.</summary>
/// <param name="Label">Class name.</param>
/// <param name="Index">Index in the model's output.</param>
/// <param name="Score">Probability (0–1).</param>
public sealed record Prediction(string Label, int Index, float Score);
