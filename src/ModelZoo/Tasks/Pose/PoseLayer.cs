using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>Poses drawn as COCO skeletons: limbs between confident keypoints, keypoint dots, and the person's box when
/// the model predicts one. No tags.</summary>
/// <param name="poses">The poses, in the image's pixels.</param>
/// <param name="keypointThreshold">Keypoints scoring below this, and limbs touching them, are not drawn.</param>
public sealed class PoseLayer(IReadOnlyList<Pose> poses, float keypointThreshold = 0.2f) : IAnnotationLayer
{
    private static readonly SKColor LimbColor = new(0x00, 0xC2, 0xFF);
    private static readonly SKColor DotColor = new(0xFF, 0x9D, 0x00);

    /// <inheritdoc />
    public void Draw(SKCanvas canvas, AnnotationStyle style)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(style);
        foreach (var pose in poses.OrderBy(p => p.Score))
        {
            DrawPose(canvas, pose, style.Stroke);
        }
    }

    /// <inheritdoc />
    public IEnumerable<AnnotationTag> Tags(AnnotationStyle style) => [];

    private void DrawPose(SKCanvas canvas, Pose pose, float stroke)
    {
        var k = pose.Keypoints;
        using var limb = new SKPaint { Color = LimbColor, StrokeWidth = stroke, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        foreach (var (from, to) in CocoKeypoints.Skeleton)
        {
            if (from < k.Count && to < k.Count && k[from].Score >= keypointThreshold && k[to].Score >= keypointThreshold)
            {
                canvas.DrawLine(k[from].X, k[from].Y, k[to].X, k[to].Y, limb);
            }
        }
        using var dot = new SKPaint { Color = DotColor, IsAntialias = true, Style = SKPaintStyle.Fill };
        foreach (var point in k.Where(p => p.Score >= keypointThreshold))
        {
            canvas.DrawCircle(point.X, point.Y, stroke * 1.3f, dot);
        }
        if (pose.Box is { } box)
        {
            AnnotationStyle.DrawBox(canvas, box, LimbColor, Math.Max(1f, stroke / 2));
        }
    }
}
