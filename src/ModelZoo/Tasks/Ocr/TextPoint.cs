namespace ModelZoo.Tasks.Ocr;

/// <summary>A point in the pixel coordinates of the original image (x to the right, y down).</summary>
/// <param name="X">Horizontal position in pixels.</param>
/// <param name="Y">Vertical position in pixels.</param>
public readonly record struct TextPoint(float X, float Y);
