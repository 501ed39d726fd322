namespace ModelZoo.Training.Reports;

/// <summary>Everything <see cref="HtmlReport"/> puts in a training report.</summary>
/// <param name="Title">Heading, e.g. "mobilenet-v2 → flowers".</param>
/// <param name="Settings">Run settings by name (base model, epochs, learning rate, seed…), shown in enumeration order.</param>
/// <param name="Metrics">Final metrics by name (e.g. "validation accuracy" → 0.93), shown in enumeration order.</param>
/// <param name="Images">Chart files to embed.</param>
/// <param name="PerClass">Per-class validation metrics; empty when there was no validation set.</param>
/// <param name="Dataset">Dataset statistics and skipped files.</param>
/// <param name="Timings">Time per stage, in the order the stages ran.</param>
public sealed record TrainingReport(
    string Title,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, double> Metrics,
    ReportImages Images,
    IReadOnlyList<ClassMetricsRow> PerClass,
    DatasetStats Dataset,
    IReadOnlyList<TimingEntry> Timings);
