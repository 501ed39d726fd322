using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Maps typed task results to Amazon Rekognition response shapes. One method per Rekognition operation; the lead
/// adds <c>DetectText</c> (from the OCR result) and <c>DetectFaces</c> (from the face result) here, next to labels.
/// </summary>
public static class RekognitionMapper
{
    /// <summary>A <c>DetectLabels</c> response: classes at or above <paramref name="minConfidence"/> (0–100), most confident first,
    /// at most <paramref name="maxLabels"/>, named as Rekognition names labels (first synonym, title case).</summary>
    public static object DetectLabels(IReadOnlyList<Prediction> predictions, ModelCard card, int maxLabels, float minConfidence)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(card);
        var labels = predictions
            .Select(p => (Name: LabelName(p.Label), Confidence: p.Score * 100f))
            .Where(l => l.Confidence >= minConfidence)
            .GroupBy(l => l.Name, StringComparer.Ordinal).Select(g => g.First())
            .Take(maxLabels)
            .Select(l => new Dictionary<string, object>
            {
                ["Name"] = l.Name,
                ["Confidence"] = l.Confidence,
                ["Instances"] = Array.Empty<object>(),
                ["Parents"] = Array.Empty<object>(),
                ["Aliases"] = Array.Empty<object>(),
                ["Categories"] = Array.Empty<object>(),
            })
            .ToList();
        return new Dictionary<string, object> { ["Labels"] = labels, ["LabelModelVersion"] = ModelVersion(card) };
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
}
