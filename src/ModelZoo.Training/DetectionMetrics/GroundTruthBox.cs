namespace ModelZoo.Training.DetectionMetrics;

/// <summary>One labelled object: its class name, box in image pixels, COCO's <c>iscrowd</c> flag and, when the labels
/// give one, the area used for COCO's small/medium/large ranges (else the box's area).</summary>
public sealed record GroundTruthBox(string Label, BoundingBox Box, bool IsCrowd = false, float? Area = null)
{
    /// <summary>The area COCO's area ranges compare.</summary>
    public float RangeArea => Area ?? Box.Area;
}
