namespace ModelZoo.Store;

/// <summary>A downloaded or stored file's SHA-256 differs from the one its model card declares. Nothing is cached.</summary>
public sealed class ChecksumMismatchException : ZooException
{
    /// <summary>Creates the error for <paramref name="fileName"/>.</summary>
    public ChecksumMismatchException(string fileName, string expectedSha256, string actualSha256, string? source = null)
        : base(ZooErrors.ChecksumMismatch,
            $"File '{fileName}'{(source is null ? "" : $" from {source}")} has SHA-256 {actualSha256} but the model card expects {expectedSha256}; " +
            "nothing was cached: retry the pull, and if it fails again report the model card as wrong.")
    {
        FileName = fileName;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>The card's name of the file.</summary>
    public string FileName { get; }

    /// <summary>The SHA-256 the card declares.</summary>
    public string ExpectedSha256 { get; }

    /// <summary>The SHA-256 of the bytes actually received.</summary>
    public string ActualSha256 { get; }
}
