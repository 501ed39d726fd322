namespace ModelZoo.Training.DetectionMetrics;

/// <summary>One class's COCO figures (area "all", at most 100 detections per image).</summary>
/// <param name="Label">The class name.</param>
/// <param name="GroundTruths">Labelled objects of the class that count (not crowd).</param>
/// <param name="Detections">The model's detections of the class.</param>
/// <param name="Ap50">Average precision at IoU 0.5 (101-point interpolation); null when the class has no labelled object.</param>
/// <param name="Ap">Average precision averaged over IoU 0.50:0.05:0.95; null when the class has no labelled object.</param>
/// <param name="Precision50">Interpolated precision at each of the 101 recall thresholds 0, 0.01, …, 1 at IoU 0.5 (0 beyond the highest recall reached).</param>
/// <param name="MaxRecall50">The highest recall reached at IoU 0.5.</param>
public sealed record ClassAveragePrecision(string Label, int GroundTruths, int Detections, double? Ap50, double? Ap,
    IReadOnlyList<double> Precision50, double MaxRecall50);
