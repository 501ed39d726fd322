using System.Globalization;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Maps typed task results to Amazon Rekognition response shapes, one method per operation. Geometry is in
/// Rekognition's units: ratios of the image's width and height, with <c>Left</c>/<c>X</c> from the image's left edge.
/// </summary>
public static class RekognitionMapper
{
    /// <summary>A <c>DetectLabels</c> response from a classifier alone: classes at or above <paramref name="minConfidence"/> (0–100),
    /// most confident first, at most <paramref name="maxLabels"/>, named as Rekognition names labels (first synonym, title case).</summary>
    public static object DetectLabels(IReadOnlyList<Prediction> predictions, ModelCard card, int maxLabels, float minConfidence) =>
        DetectLabels(predictions, [], 1, 1, card, maxLabels, minConfidence);

    /// <summary>
    /// A <c>DetectLabels</c> response merging a classifier's classes with a detector's boxes: detections are grouped by
    /// label name into <c>Instances[].BoundingBox</c> (ratios of <paramref name="imageWidth"/> × <paramref name="imageHeight"/>)
    /// under the label of the same name, which is added when the classifier did not name it (so a detector alone gives one
    /// label per detected class). A label's confidence is the higher of its class score and its best instance. Class labels
    /// below <paramref name="minConfidence"/> and instances below <paramref name="minInstanceConfidence"/> (both 0–100) are
    /// left out; a label with an instance stays. At most <paramref name="maxLabels"/> labels, most confident first.
    /// </summary>
    /// <param name="predictions">Classifier output (may be empty when only a detector is configured).</param>
    /// <param name="detections">Detector output in image pixels (may be empty).</param>
    /// <param name="imageWidth">Width of the image the boxes are in, in pixels.</param>
    /// <param name="imageHeight">Height of the image, in pixels.</param>
    /// <param name="card">The model reported as <c>LabelModelVersion</c>.</param>
    /// <param name="maxLabels">Most labels returned.</param>
    /// <param name="minConfidence">Threshold for class labels in percent.</param>
    /// <param name="minInstanceConfidence">Threshold for instances in percent; null uses <paramref name="minConfidence"/>.</param>
    public static object DetectLabels(IReadOnlyList<Prediction> predictions, IReadOnlyList<Detection> detections, int imageWidth, int imageHeight,
        ModelCard card, int maxLabels, float minConfidence, float? minInstanceConfidence = null)
    {
        var instanceThreshold = minInstanceConfidence ?? minConfidence;
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        var labels = new Dictionary<string, (float Confidence, List<object> Instances)>(StringComparer.Ordinal);
        foreach (var p in predictions)
        {
            var name = LabelName(p.Label);
            if (!labels.ContainsKey(name))
            {
                labels[name] = (p.Score * 100f, []);
            }
        }
        foreach (var d in detections.OrderByDescending(d => d.Score))
        {
            var confidence = d.Score * 100f;
            if (confidence < instanceThreshold)
            {
                continue;
            }
            var name = LabelName(d.Label);
            var (best, instances) = labels.TryGetValue(name, out var found) ? found : (0f, []);
            instances.Add(new Dictionary<string, object>
            {
                ["BoundingBox"] = Box(d.Box, imageWidth, imageHeight),
                ["Confidence"] = confidence,
            });
            labels[name] = (Math.Max(best, confidence), instances);
        }
        var list = labels
            .Where(l => l.Value.Confidence >= minConfidence || l.Value.Instances.Count > 0)
            .OrderByDescending(l => l.Value.Confidence)
            .Take(maxLabels)
            .Select(l => new Dictionary<string, object>
            {
                ["Name"] = l.Key,
                ["Confidence"] = l.Value.Confidence,
                ["Instances"] = l.Value.Instances,
                ["Parents"] = Array.Empty<object>(),
                ["Aliases"] = Array.Empty<object>(),
                ["Categories"] = Array.Empty<object>(),
            })
            .ToList();
        return new Dictionary<string, object> { ["Labels"] = list, ["LabelModelVersion"] = ModelVersion(card) };
    }

    /// <summary>
    /// A <c>DetectText</c> response: one <c>LINE</c> entry per line (ids 0…n-1, reading order), then one <c>WORD</c> entry per
    /// word with the <c>ParentId</c> of its line, each with <c>DetectedText</c>, <c>Confidence</c> (0–100) and
    /// <c>Geometry</c> (<c>BoundingBox</c> and four-point <c>Polygon</c>, ratios). A word whose polygon the pipeline could
    /// not place gets its line's. Words below <paramref name="minWordConfidence"/> (0–100) or smaller than the minimum
    /// box ratios are left out, as Rekognition's <c>WordFilter</c> does.
    /// </summary>
    public static object DetectText(IReadOnlyList<TextLine> lines, int imageWidth, int imageHeight, ModelCard card,
        float minWordConfidence = 0f, float minBoxHeight = 0f, float minBoxWidth = 0f)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        var detections = new List<object>();
        var words = new List<object>();
        var id = lines.Count;
        for (var lineId = 0; lineId < lines.Count; lineId++)
        {
            var line = lines[lineId];
            detections.Add(TextDetection(line.Text, "LINE", lineId, null, line.Confidence, line.Polygon, imageWidth, imageHeight));
            foreach (var word in line.Words)
            {
                var confidence = word.Confidence ?? line.Confidence;
                var polygon = word.Polygon is { Count: > 0 } p ? p : line.Polygon;
                var (_, _, w, h) = Bounds(polygon);
                if (confidence * 100f < minWordConfidence || h / imageHeight < minBoxHeight || w / imageWidth < minBoxWidth)
                {
                    continue;
                }
                words.Add(TextDetection(word.Text, "WORD", id++, lineId, confidence, polygon, imageWidth, imageHeight));
            }
        }
        detections.AddRange(words);
        return new Dictionary<string, object> { ["TextDetections"] = detections, ["TextModelVersion"] = ModelVersion(card) };
    }

    /// <summary>
    /// A <c>DetectFaces</c> response: per face its <c>BoundingBox</c> (ratios), <c>Confidence</c> (0–100) and the
    /// <c>Landmarks</c> that have a Rekognition name (eyes and nose for BlazeFace, left and right as the viewer sees
    /// them, as Rekognition defines them). With <paramref name="allAttributes"/> (<c>Attributes: ["ALL"]</c>) and
    /// attributes estimated on the face: <c>AgeRange</c>, <c>Gender</c> and <c>Emotions</c>.
    /// </summary>
    public static object DetectFaces(IReadOnlyList<Face> faces, int imageWidth, int imageHeight, bool allAttributes)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        var details = faces.Select(face =>
        {
            var detail = new Dictionary<string, object>
            {
                ["BoundingBox"] = Box(face.Box, imageWidth, imageHeight),
                ["Landmarks"] = face.Landmarks
                    .Where(l => LandmarkTypes.ContainsKey(l.Name))
                    .Select(l => new Dictionary<string, object> { ["Type"] = LandmarkTypes[l.Name], ["X"] = l.X / imageWidth, ["Y"] = l.Y / imageHeight })
                    .ToList(),
                ["Confidence"] = face.Score * 100f,
            };
            if (allAttributes)
            {
                if (face.Age is float age)
                {
                    detail["AgeRange"] = new Dictionary<string, object> { ["Low"] = AgeRange(age).Low, ["High"] = AgeRange(age).High };
                }
                if (face.Gender is { } gender)
                {
                    detail["Gender"] = new Dictionary<string, object>
                    {
                        ["Value"] = gender.Equals("female", StringComparison.OrdinalIgnoreCase) ? "Female" : "Male",
                        ["Confidence"] = (face.GenderScore ?? 0.5f) * 100f,
                    };
                }
                if (face.EmotionScores is { } scores)
                {
                    detail["Emotions"] = scores
                        .Select(s => (Type: EmotionType(s.Key), Confidence: s.Value * 100f))
                        .Where(e => e.Type is not null)
                        .GroupBy(e => e.Type!).Select(g => (Type: g.Key, Confidence: g.Max(e => e.Confidence)))
                        .OrderByDescending(e => e.Confidence)
                        .Select(e => new Dictionary<string, object> { ["Type"] = e.Type, ["Confidence"] = e.Confidence })
                        .ToList();
                }
            }
            return detail;
        }).ToList();
        return new Dictionary<string, object> { ["FaceDetails"] = details };
    }

    /// <summary>The version string reported for a served model: <c>handle@version</c>.</summary>
    public static string ModelVersion(ModelCard card) => $"{card.Handle}@{card.Version}";

    /// <summary>The first synonym of an ImageNet-style label ("tabby, tabby cat" → "Tabby"), in title case.</summary>
    public static string LabelName(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var first = label.Split(',', 2)[0].Trim().Replace('_', ' ');
        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(first);
    }

    /// <summary>Rekognition's emotion type for an emotion name of a face-attribute model (<c>happy</c>, <c>happiness</c> →
    /// <c>HAPPY</c>, <c>neutral</c> → <c>CALM</c>), or null for one Rekognition has no type for (<c>contempt</c>).</summary>
    public static string? EmotionType(string emotion) => emotion.ToLowerInvariant() switch
    {
        "happy" or "happiness" or "joy" => "HAPPY",
        "sad" or "sadness" or "sorrow" => "SAD",
        "angry" or "anger" => "ANGRY",
        "confused" => "CONFUSED",
        "disgust" or "disgusted" => "DISGUSTED",
        "surprise" or "surprised" => "SURPRISED",
        "neutral" or "calm" => "CALM",
        "fear" or "fearful" or "scared" => "FEAR",
        _ => null,
    };

    /// <summary>
    /// The age range reported for an age estimate: five years either side, widened to a fifth of the age for older
    /// faces, as single-number estimators err by about that much.
    /// </summary>
    public static (int Low, int High) AgeRange(float age)
    {
        var spread = Math.Max(5f, age / 5f);
        return ((int)Math.Max(0f, MathF.Floor(age - spread)), (int)MathF.Ceiling(age + spread));
    }

    /// <summary>MediaPipe landmark names (the subject's left and right) → Rekognition's (the viewer's).</summary>
    private static readonly Dictionary<string, string> LandmarkTypes = new(StringComparer.Ordinal)
    {
        ["right_eye"] = "eyeLeft",
        ["left_eye"] = "eyeRight",
        ["nose_tip"] = "nose",
    };

    private static Dictionary<string, object> Box(BoundingBox box, int width, int height) => new()
    {
        ["Width"] = box.Width / width,
        ["Height"] = box.Height / height,
        ["Left"] = box.X / width,
        ["Top"] = box.Y / height,
    };

    private static (float X, float Y, float Width, float Height) Bounds(IReadOnlyList<TextPoint> polygon)
    {
        if (polygon.Count == 0)
        {
            return (0f, 0f, 0f, 0f);
        }
        float minX = polygon.Min(p => p.X), minY = polygon.Min(p => p.Y);
        return (minX, minY, polygon.Max(p => p.X) - minX, polygon.Max(p => p.Y) - minY);
    }

    private static Dictionary<string, object> TextDetection(string text, string type, int id, int? parentId, float confidence,
        IReadOnlyList<TextPoint> polygon, int width, int height)
    {
        var (x, y, w, h) = Bounds(polygon);
        var entry = new Dictionary<string, object>
        {
            ["DetectedText"] = text,
            ["Type"] = type,
            ["Id"] = id,
        };
        if (parentId is int parent)
        {
            entry["ParentId"] = parent;
        }
        entry["Confidence"] = confidence * 100f;
        entry["Geometry"] = new Dictionary<string, object>
        {
            ["BoundingBox"] = new Dictionary<string, object> { ["Width"] = w / width, ["Height"] = h / height, ["Left"] = x / width, ["Top"] = y / height },
            ["Polygon"] = polygon.Select(p => new Dictionary<string, object> { ["X"] = p.X / width, ["Y"] = p.Y / height }).ToList(),
        };
        return entry;
    }
}
