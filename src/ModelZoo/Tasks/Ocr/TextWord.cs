namespace ModelZoo.Tasks.Ocr;

/// <summary>One space-separated word of a recognised line.</summary>
/// <param name="Text">The word's characters.</param>
/// <param name="Confidence">Mean probability of the word's characters (0–1), when known.</param>
/// <param name="Polygon">Four corners (top-left, top-right, bottom-right, bottom-left of the word as read) in original
/// image pixels. Approximate: the line is split where the recogniser emitted the first and last character of the word.</param>
public sealed record TextWord(string Text, float? Confidence, IReadOnlyList<TextPoint>? Polygon);
