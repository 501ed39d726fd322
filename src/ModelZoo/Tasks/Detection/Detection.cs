namespace ModelZoo.Tasks;

/// <summary>One detected object.</summary>
/// <param name="Label">Class name from the card's labels (<c>class N</c> when the card has none).</param>
/// <param name="ClassIndex">Index of the class in the model's output (before the card's label offset is removed).</param>
/// <param name="Score">Confidence, 0–1.</param>
/// <param name="Box">Where the object is, in original-image pixels.</param>
public sealed record Detection(string Label, int ClassIndex, float Score, BoundingBox Box);
