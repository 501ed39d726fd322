using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelZoo.Training.DetectionMetrics;

/// <summary>COCO detection metrics of one model on one labelled set. A figure is null when no class has a labelled
/// object in its range (COCO's −1).</summary>
public sealed record DetectionMetricsResult
{
    /// <summary>mAP at IoU 0.5 (PASCAL-style threshold, COCO's 101-point interpolation), area all.</summary>
    public double? Map50 { get; init; }

    /// <summary>mAP at IoU 0.75, area all.</summary>
    public double? Map75 { get; init; }

    /// <summary>mAP averaged over IoU 0.50:0.05:0.95, area all: COCO's primary figure.</summary>
    public double? Map { get; init; }

    /// <summary>mAP@0.5:0.95 for objects under 32² pixels.</summary>
    public double? MapSmall { get; init; }

    /// <summary>mAP@0.5:0.95 for objects of 32² to 96² pixels.</summary>
    public double? MapMedium { get; init; }

    /// <summary>mAP@0.5:0.95 for objects over 96² pixels.</summary>
    public double? MapLarge { get; init; }

    /// <summary>Per-class figures, in the dataset's class order.</summary>
    public required IReadOnlyList<ClassAveragePrecision> PerClass { get; init; }

    /// <summary>The result as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    });
}
