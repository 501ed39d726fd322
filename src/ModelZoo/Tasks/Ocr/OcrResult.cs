namespace ModelZoo.Tasks.Ocr;

/// <summary>The text found in one image, in reading order (top to bottom, left to right within a line).</summary>
/// <param name="Lines">The lines; empty when the image holds no text.</param>
public sealed record OcrResult(IReadOnlyList<TextLine> Lines)
{
    /// <summary>All lines joined with newlines.</summary>
    public string Text => string.Join('\n', Lines.Select(l => l.Text));
}
