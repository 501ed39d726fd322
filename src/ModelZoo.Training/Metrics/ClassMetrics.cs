namespace ModelZoo.Training.Metrics;

/// <summary>Per-class scores from a <see cref="ConfusionMatrix"/>. A ratio whose denominator is zero is reported as 0.</summary>
/// <param name="Precision">Of the samples predicted as this class, the fraction that truly are.</param>
/// <param name="Recall">Of the samples truly of this class, the fraction predicted as it.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Number of samples truly of this class.</param>
public readonly record struct ClassMetrics(double Precision, double Recall, double F1, int Support);
