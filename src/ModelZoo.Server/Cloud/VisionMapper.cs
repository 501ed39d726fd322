using ModelZoo.Tasks;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Maps typed task results to Google Cloud Vision <c>AnnotateImageResponse</c> fields. One method per feature; the lead
/// adds <c>localizedObjectAnnotations</c> (OBJECT_LOCALIZATION), <c>textAnnotations</c> (TEXT_DETECTION) and
/// <c>faceAnnotations</c> (FACE_DETECTION) here.
/// </summary>
public static class VisionMapper
{
    /// <summary><c>labelAnnotations</c>: <c>{"mid","description","score","topicality"}</c>, scores 0–1, at most <paramref name="maxResults"/>.
    /// <c>mid</c> is empty: the served label sets have no Knowledge Graph ids.</summary>
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
}
