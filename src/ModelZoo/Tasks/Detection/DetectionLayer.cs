using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>Detections drawn as boxes in their class's colour, each with a <c>label NN%</c> tag.</summary>
/// <param name="detections">The boxes, in the image's pixels.</param>
public sealed class DetectionLayer(IReadOnlyList<Detection> detections) : IAnnotationLayer
{
    /// <inheritdoc />
    public void Draw(SKCanvas canvas, AnnotationStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        foreach (var d in detections.OrderBy(d => d.Score))
        {
            AnnotationStyle.DrawBox(canvas, d.Box, AnnotationStyle.Color(d.ClassIndex), style.Stroke);
        }
    }

    /// <inheritdoc />
    public IEnumerable<AnnotationTag> Tags(AnnotationStyle style) =>
        detections.Select(d => new AnnotationTag($"{d.Label} {AnnotationStyle.Percent(d.Score)}", d.Score, d.Box, AnnotationStyle.Color(d.ClassIndex)));
}
