namespace ModelZoo.Training.Reports;

/// <summary>PNG files a <see cref="TrainingReport"/> shows; null where a chart was not produced.</summary>
/// <param name="CurvesPng">Learning curves (<see cref="TrainingPlots.WriteCurves(string, Heads.TrainingHistory)"/>).</param>
/// <param name="ConfusionPng">Confusion matrix (<see cref="TrainingPlots.WriteConfusion"/>).</param>
/// <param name="GridPng">Prediction grid (<see cref="PredictionGrid.Write"/>).</param>
public sealed record ReportImages(string? CurvesPng, string? ConfusionPng, string? GridPng);
