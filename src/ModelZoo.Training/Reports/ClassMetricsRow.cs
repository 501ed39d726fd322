namespace ModelZoo.Training.Reports;

/// <summary>Validation metrics of one class, as shown in the report's per-class table.</summary>
/// <param name="Label">Class name.</param>
/// <param name="Support">Number of validation images whose true class this is.</param>
/// <param name="Precision">Share of images predicted as this class that are this class, in [0, 1].</param>
/// <param name="Recall">Share of this class's images predicted correctly, in [0, 1].</param>
/// <param name="F1">Harmonic mean of precision and recall, in [0, 1].</param>
public sealed record ClassMetricsRow(string Label, int Support, double Precision, double Recall, double F1);
