namespace ModelZoo.Catalog;

/// <summary>Two cards claim the same handle. The message names both origins.</summary>
/// <param name="handle">The handle declared twice.</param>
/// <param name="firstOrigin">Origin of the card seen first (a resource name or file path).</param>
/// <param name="secondOrigin">Origin of the card seen second.</param>
/// <param name="fix">What the user should do, the end of the message.</param>
public sealed class DuplicateModelException(string handle, string firstOrigin, string secondOrigin, string fix)
    : ZooException(ZooErrors.DuplicateModel, $"model handle '{handle}' is declared twice, by '{firstOrigin}' and by '{secondOrigin}'; {fix}")
{
    /// <summary>The handle declared twice.</summary>
    public string Handle { get; } = handle;

    /// <summary>Origin of the card seen first (a resource name or file path).</summary>
    public string FirstOrigin { get; } = firstOrigin;

    /// <summary>Origin of the card seen second.</summary>
    public string SecondOrigin { get; } = secondOrigin;
}
