namespace ModelZoo.Store;

/// <summary>The result of re-hashing one stored file.</summary>
/// <param name="FileName">The card's name of the file.</param>
/// <param name="Path">Where the file is (or should be) on disk.</param>
/// <param name="Ok">True when the file exists and its SHA-256 matches the card.</param>
/// <param name="ExpectedSha256">The SHA-256 the card declares.</param>
/// <param name="ActualSha256">The SHA-256 of the bytes on disk; null when the file is missing.</param>
/// <param name="Problem">What is wrong, or null when <paramref name="Ok"/>.</param>
public sealed record FileVerification(string FileName, string Path, bool Ok, string ExpectedSha256, string? ActualSha256, string? Problem);
