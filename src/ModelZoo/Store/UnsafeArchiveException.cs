namespace ModelZoo.Store;

/// <summary>A package archive holds an entry that could escape its folder (traversal, absolute path, link)
/// or is larger than allowed. Nothing is extracted.</summary>
public sealed class UnsafeArchiveException(string archive, string entry, string reason)
    : ZooException(ZooErrors.UnsafeArchive,
        $"Archive {archive} has an unsafe entry '{entry}' ({reason}); nothing was extracted: " +
        "do not use this package, and check the source URI in the model card.")
{
    /// <summary>The offending entry name as stored in the archive.</summary>
    public string EntryName { get; } = entry;
}
