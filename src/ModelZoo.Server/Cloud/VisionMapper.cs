using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Maps typed task results to Google Cloud Vision <c>AnnotateImageResponse</c> fields, one method per feature.
/// <c>vertices</c> are whole pixels, <c>normalizedVertices</c> ratios of the image's size; <c>mid</c> is empty because
/// the served label sets have no Knowledge Graph ids.
/// </summary>
public static class VisionMapper
{
    /// <summary><c>labelAnnotations</c>: <c>{"mid","description","score","topicality"}</c>, scores 0–1, at most <paramref name="maxResults"/>.</summary>
    public static IReadOnlyList<object> LabelAnnotations(IReadOnlyList<Prediction> predictions, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return predictions.Take(maxResults).Select(p => (object)new Dictionary<string, object>
        {
            ["mid"] = "",
            ["description"] = RekognitionMapper.LabelName(p.Label),
            ["score"] = p.Score,
            ["topicality"] = p.Score,
        }).ToList();
    }

    /// <summary>
    /// <c>labelAnnotations</c> merging a classifier's classes with a detector's: one label per class name, scored by the
    /// higher of its class score and its best detection, at most <paramref name="maxResults"/>, best first. Either list
    /// may be empty (a server with only a detector labels what it detects).
    /// </summary>
    public static IReadOnlyList<object> LabelAnnotations(IReadOnlyList<Prediction> predictions, IReadOnlyList<Detection> detections, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(detections);
        var best = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var (label, score) in predictions.Select(p => (p.Label, p.Score)).Concat(detections.Select(d => (d.Label, d.Score))))
        {
            var name = RekognitionMapper.LabelName(label);
            best[name] = best.TryGetValue(name, out var seen) ? Math.Max(seen, score) : score;
        }
        return best.OrderByDescending(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal).Take(maxResults)
            .Select(b => (object)new Dictionary<string, object>
            {
                ["mid"] = "",
                ["description"] = b.Key,
                ["score"] = b.Value,
                ["topicality"] = b.Value,
            }).ToList();
    }

    /// <summary><c>localizedObjectAnnotations</c> (OBJECT_LOCALIZATION): <c>{"mid","name","score","boundingPoly":{"normalizedVertices":[{x,y}×4]}}</c>,
    /// corners clockwise from the top left, at most <paramref name="maxResults"/>, best first.</summary>
    public static IReadOnlyList<object> LocalizedObjectAnnotations(IReadOnlyList<Detection> detections, int imageWidth, int imageHeight, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        return detections.OrderByDescending(d => d.Score).Take(maxResults).Select(d => (object)new Dictionary<string, object>
        {
            ["mid"] = "",
            ["name"] = RekognitionMapper.LabelName(d.Label),
            ["score"] = d.Score,
            ["boundingPoly"] = new Dictionary<string, object>
            {
                ["normalizedVertices"] = Corners(d.Box)
                    .Select(c => new Dictionary<string, object> { ["x"] = Math.Clamp(c.X / imageWidth, 0f, 1f), ["y"] = Math.Clamp(c.Y / imageHeight, 0f, 1f) })
                    .ToList(),
            },
        }).ToList();
    }

    /// <summary>
    /// <c>textAnnotations</c> (TEXT_DETECTION): the first entry is the whole text (lines joined by newlines) with the
    /// polygon around all of it, then one entry per word (at most <paramref name="maxResults"/>) with its own polygon;
    /// vertices in pixels. Empty when there is no text, as Vision answers.
    /// </summary>
    public static IReadOnlyList<object> TextAnnotations(IReadOnlyList<TextLine> lines, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return [];
        }
        var all = lines.SelectMany(l => l.Polygon).ToList();
        var result = new List<object> { TextAnnotation(FullText(lines), BoundingRectangle(all)) };
        foreach (var (word, line) in lines.SelectMany(l => l.Words.Select(w => (w, l))).Take(maxResults))
        {
            result.Add(TextAnnotation(word.Text, word.Polygon is { Count: 4 } polygon ? polygon : line.Polygon));
        }
        return result;
    }

    /// <summary><c>fullTextAnnotation</c>: <c>{"text"}</c>, the lines joined and ended by newlines as Vision writes it (no page structure).</summary>
    public static object FullTextAnnotation(IReadOnlyList<TextLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return new Dictionary<string, object> { ["text"] = lines.Count == 0 ? "" : FullText(lines) + "\n" };
    }

    /// <summary>
    /// <c>faceAnnotations</c> (FACE_DETECTION): <c>boundingPoly</c> and <c>fdBoundingPoly</c> (both the detector's box, in
    /// pixels), <c>landmarks</c> named as Vision names them (left and right as the viewer sees them), <c>rollAngle</c> from
    /// the eyes, <c>detectionConfidence</c>, and the four emotion likelihoods: mapped from the emotion model's
    /// probabilities when the face has them, otherwise <c>UNKNOWN</c> (as are the exposure, blur and headwear ones).
    /// </summary>
    public static IReadOnlyList<object> FaceAnnotations(IReadOnlyList<Face> faces, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(faces);
        return faces.Take(maxResults).Select(face =>
        {
            var poly = Poly(Corners(face.Box));
            var annotation = new Dictionary<string, object>
            {
                ["boundingPoly"] = poly,
                ["fdBoundingPoly"] = poly,
                ["landmarks"] = face.Landmarks
                    .Where(l => LandmarkTypes.ContainsKey(l.Name))
                    .Select(l => new Dictionary<string, object>
                    {
                        ["type"] = LandmarkTypes[l.Name],
                        ["position"] = new Dictionary<string, object> { ["x"] = l.X, ["y"] = l.Y, ["z"] = 0f },
                    })
                    .ToList(),
            };
            var rightEye = face.Landmarks.FirstOrDefault(l => l.Name == "right_eye");
            var leftEye = face.Landmarks.FirstOrDefault(l => l.Name == "left_eye");
            if (rightEye is not null && leftEye is not null)
            {
                // The subject's right eye is on the viewer's left: the angle of the line to the other eye is the head's roll.
                annotation["rollAngle"] = MathF.Atan2(leftEye.Y - rightEye.Y, leftEye.X - rightEye.X) * 180f / MathF.PI;
            }
            annotation["detectionConfidence"] = face.Score;
            annotation["landmarkingConfidence"] = face.Score;
            annotation["joyLikelihood"] = Likelihood(face, "HAPPY");
            annotation["sorrowLikelihood"] = Likelihood(face, "SAD");
            annotation["angerLikelihood"] = Likelihood(face, "ANGRY");
            annotation["surpriseLikelihood"] = Likelihood(face, "SURPRISED");
            annotation["underExposedLikelihood"] = "UNKNOWN";
            annotation["blurredLikelihood"] = "UNKNOWN";
            annotation["headwearLikelihood"] = "UNKNOWN";
            return (object)annotation;
        }).ToList();
    }

    /// <summary>Vision's likelihood bucket for a probability (0–1).</summary>
    public static string Likelihood(float probability) => probability switch
    {
        < 0.1f => "VERY_UNLIKELY",
        < 0.3f => "UNLIKELY",
        < 0.6f => "POSSIBLE",
        < 0.85f => "LIKELY",
        _ => "VERY_LIKELY",
    };

    private static string Likelihood(Face face, string rekognitionType)
    {
        if (face.EmotionScores is not { Count: > 0 } scores)
        {
            return "UNKNOWN";
        }
        var probability = scores.Where(s => RekognitionMapper.EmotionType(s.Key) == rekognitionType).Select(s => s.Value).DefaultIfEmpty(-1f).Max();
        return probability < 0f ? "UNKNOWN" : Likelihood(probability);
    }

    /// <summary>MediaPipe landmark names (the subject's left and right) → Vision's (the viewer's).</summary>
    private static readonly Dictionary<string, string> LandmarkTypes = new(StringComparer.Ordinal)
    {
        ["right_eye"] = "LEFT_EYE",
        ["left_eye"] = "RIGHT_EYE",
        ["nose_tip"] = "NOSE_TIP",
        ["mouth_center"] = "MOUTH_CENTER",
        ["right_ear_tragion"] = "LEFT_EAR_TRAGION",
        ["left_ear_tragion"] = "RIGHT_EAR_TRAGION",
    };

    private static string FullText(IReadOnlyList<TextLine> lines) => string.Join('\n', lines.Select(l => l.Text));

    private static TextPoint[] Corners(BoundingBox box) =>
        [new(box.X, box.Y), new(box.Right, box.Y), new(box.Right, box.Bottom), new(box.X, box.Bottom)];

    private static TextPoint[] BoundingRectangle(IReadOnlyList<TextPoint> points)
    {
        float minX = points.Min(p => p.X), minY = points.Min(p => p.Y), maxX = points.Max(p => p.X), maxY = points.Max(p => p.Y);
        return [new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY)];
    }

    private static Dictionary<string, object> TextAnnotation(string description, IReadOnlyList<TextPoint> polygon) => new()
    {
        ["description"] = description,
        ["boundingPoly"] = Poly(polygon),
    };

    private static Dictionary<string, object> Poly(IReadOnlyList<TextPoint> polygon) => new()
    {
        ["vertices"] = polygon.Select(p => new Dictionary<string, object>
        {
            ["x"] = (int)MathF.Round(Math.Max(p.X, 0f)),
            ["y"] = (int)MathF.Round(Math.Max(p.Y, 0f)),
        }).ToList(),
    };
}
