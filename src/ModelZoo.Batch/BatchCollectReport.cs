namespace ModelZoo.Batch;

/// <summary>What <see cref="BatchCollector.Collect"/> found.</summary>
/// <param name="Written">Results written, one per input.</param>
/// <param name="Duplicates">Result lines dropped because the same input (path and SHA-256) was already there: redelivered work.</param>
/// <param name="Missing">Expected inputs with no result, by full path.</param>
public sealed record BatchCollectReport(int Written, int Duplicates, IReadOnlyList<string> Missing);
