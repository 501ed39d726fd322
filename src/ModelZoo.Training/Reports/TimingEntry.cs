namespace ModelZoo.Training.Reports;

/// <summary>Wall-clock time spent in one stage of a run (e.g. "feature extraction").</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Duration">Time spent.</param>
public sealed record TimingEntry(string Stage, TimeSpan Duration);
