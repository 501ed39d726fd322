namespace ModelZoo.Tasks.Ocr;

/// <summary>One detected and recognised line of text.</summary>
/// <param name="Text">The recognised text.</param>
/// <param name="Confidence">Mean probability of the kept characters (0–1).</param>
/// <param name="Polygon">Four corners (top-left, top-right, bottom-right, bottom-left of the line as read) in original
/// image pixels.</param>
/// <param name="Words">The line split at spaces, each with an approximate polygon.</param>
public sealed record TextLine(string Text, float Confidence, IReadOnlyList<TextPoint> Polygon, IReadOnlyList<TextWord> Words);
