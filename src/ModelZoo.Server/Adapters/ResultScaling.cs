using ModelZoo.Tasks;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Maps a result computed on an image decoded smaller than it was sent (see
/// <see cref="ModelZoo.Imaging.ImageDecodeOptions.MaxDecodedPixels"/>) back to the pixels of the image the client sent:
/// boxes, keypoints, landmarks and text polygons are scaled; classes, vectors and scores are unchanged; segmentation
/// masks keep the decoded size (their width and height say so).
/// </summary>
internal static class ResultScaling
{
    public static object ToSource(object result, float scaleX, float scaleY)
    {
        if (scaleX == 1f && scaleY == 1f)
        {
            return result;
        }
        BoundingBox Box(BoundingBox b) => new(b.X * scaleX, b.Y * scaleY, b.Width * scaleX, b.Height * scaleY);
        IReadOnlyList<TextPoint> Polygon(IReadOnlyList<TextPoint> points) => points.Select(p => new TextPoint(p.X * scaleX, p.Y * scaleY)).ToList();
        return result switch
        {
            DetectionResult detections => new DetectionResult(detections.Detections.Select(d => d with { Box = Box(d.Box) }).ToList()),
            PoseResult poses => new PoseResult(poses.Poses.Select(p => p with
            {
                Keypoints = p.Keypoints.Select(k => k with { X = k.X * scaleX, Y = k.Y * scaleY }).ToList(),
                Box = p.Box is { } box ? Box(box) : null,
            }).ToList()),
            FaceResult faces => new FaceResult(faces.Faces.Select(f => f with
            {
                Box = Box(f.Box),
                Landmarks = f.Landmarks.Select(l => l with { X = l.X * scaleX, Y = l.Y * scaleY }).ToList(),
            }).ToList()),
            TextSpottingResult text => new TextSpottingResult(text.Lines.Select(l => l with
            {
                Polygon = Polygon(l.Polygon),
                Words = l.Words.Select(w => w with { Polygon = w.Polygon is { } p ? Polygon(p) : null }).ToList(),
            }).ToList()),
            _ => result,
        };
    }
}
