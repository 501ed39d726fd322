namespace ModelZoo.Catalog;

/// <summary>Two cards claim the same handle. The message names both origins.</summary>
public sealed class DuplicateModelException : ZooException
{
    /// <summary>Creates the error for <paramref name="handle"/> declared by <paramref name="firstOrigin"/> and <paramref name="secondOrigin"/>.</summary>
    public DuplicateModelException(string handle, string firstOrigin, string secondOrigin, string fix)
        : base(ZooErrors.DuplicateModel, $"model handle '{handle}' is declared twice, by '{firstOrigin}' and by '{secondOrigin}'; {fix}")
    {
        Handle = handle;
        FirstOrigin = firstOrigin;
        SecondOrigin = secondOrigin;
    }

    /// <summary>The handle declared twice.</summary>
    public string Handle { get; }

    /// <summary>Origin of the card seen first (a resource name or file path).</summary>
    public string FirstOrigin { get; }

    /// <summary>Origin of the card seen second.</summary>
    public string SecondOrigin { get; }
}
