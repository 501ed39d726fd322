namespace ModelZoo.Store;

/// <summary>A downloaded or stored file's SHA-256 differs from the one its model card declares. Nothing is cached.</summary>
/// <param name="fileName">The card's name of the file.</param>
/// <param name="expectedSha256">The SHA-256 the card declares.</param>
/// <param name="actualSha256">The SHA-256 of the bytes actually received.</param>
/// <param name="source">Where the bytes came from, when the message should say it.</param>
public sealed class ChecksumMismatchException(string fileName, string expectedSha256, string actualSha256, string? source = null)
    : ZooException(ZooErrors.ChecksumMismatch,
        $"File '{fileName}'{(source is null ? "" : $" from {source}")} has SHA-256 {actualSha256} but the model card expects {expectedSha256}; " +
        "nothing was cached: retry the pull, and if it fails again report the model card as wrong.")
{
    /// <summary>The card's name of the file.</summary>
    public string FileName { get; } = fileName;

    /// <summary>The SHA-256 the card declares.</summary>
    public string ExpectedSha256 { get; } = expectedSha256;

    /// <summary>The SHA-256 of the bytes actually received.</summary>
    public string ActualSha256 { get; } = actualSha256;
}
