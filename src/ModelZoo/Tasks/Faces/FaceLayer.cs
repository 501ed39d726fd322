using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>Faces drawn as green boxes with red landmark dots, each with a tag of its score and attributes.</summary>
/// <param name="faces">The faces, in the image's pixels.</param>
public sealed class FaceLayer(IReadOnlyList<Face> faces) : IAnnotationLayer
{
    private static readonly SKColor FaceColor = new(0x00, 0xE6, 0x76);
    private static readonly SKColor LandmarkColor = new(0xFF, 0x40, 0x40);

    /// <inheritdoc />
    public void Draw(SKCanvas canvas, AnnotationStyle style)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(style);
        foreach (var face in faces.OrderBy(f => f.Score))
        {
            AnnotationStyle.DrawBox(canvas, face.Box, FaceColor, style.Stroke);
            using var dot = new SKPaint { Color = LandmarkColor, IsAntialias = true, Style = SKPaintStyle.Fill };
            foreach (var l in face.Landmarks)
            {
                canvas.DrawCircle(l.X, l.Y, style.Stroke * 1.2f, dot);
            }
        }
    }

    /// <inheritdoc />
    public IEnumerable<AnnotationTag> Tags(AnnotationStyle style) => faces.Select(f => new AnnotationTag(Text(f), f.Score, f.Box, FaceColor));

    private static string Text(Face face)
    {
        var parts = new List<string> { AnnotationStyle.Percent(face.Score) };
        if (face.Gender is not null) parts.Add(face.Gender);
        if (face.Age is float age) parts.Add(age.ToString("0", CultureInfo.InvariantCulture));
        if (face.Emotion is not null) parts.Add(face.Emotion);
        return "face " + string.Join(' ', parts);
    }
}
