namespace ModelZoo.Training.Reports;

/// <summary>An image left out of training, and why (e.g. "not a decodable image").</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Short reason, shown next to the path.</param>
public sealed record SkippedImage(string Path, string Reason);
