using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Adapters;

/// <summary>Native response of an OCR pipeline, as <c>zoo ocr --json</c> writes it:
/// <c>{"lines":[{"text","confidence","polygon":[[x,y]×4],"words":[{"text","confidence"?,"polygon"?}]}]}</c>, in reading
/// order, polygons in the image's pixels.</summary>
/// <param name="Lines">The recognised lines; empty when the image holds no text.</param>
public sealed record TextSpottingResult(IReadOnlyList<TextLine> Lines);
