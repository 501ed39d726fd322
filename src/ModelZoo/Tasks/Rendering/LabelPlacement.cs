namespace ModelZoo.Tasks;

/// <summary>Where <see cref="Annotator"/> draws one result's label tag: its text, the score it was ordered by, and the
/// tag's rectangle in image pixels. <see cref="Annotator.PlaceLabels"/> lists them in drawing order.</summary>
/// <param name="Text">The tag's text, e.g. <c>horse 51%</c>.</param>
/// <param name="Score">The result's score (a mask's coverage).</param>
/// <param name="Area">The filled tag.</param>
public sealed record LabelPlacement(string Text, float Score, BoundingBox Area);
