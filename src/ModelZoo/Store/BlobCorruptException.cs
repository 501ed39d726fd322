namespace ModelZoo.Store;

/// <summary>
/// A file already in the store no longer has the SHA-256 its model card declares (damaged on disk, or written to
/// through its hard link). The damaged copy is removed from the store before this is thrown, so it is never used.
/// </summary>
/// <param name="handle">The model's handle.</param>
/// <param name="fileName">The card's name of the damaged file.</param>
/// <param name="path">Where the damaged file was in the store.</param>
/// <param name="removed">Whether the damaged copy has been removed (the message says so).</param>
public sealed class BlobCorruptException(string handle, string fileName, string path, bool removed)
    : ZooException(ZooErrors.BlobCorrupt,
        $"File '{fileName}' of model '{handle}' in the store ({path}) is corrupt: its SHA-256 differs from the model card" +
        (removed ? "; the damaged copy was removed" : "") +
        $"; run `zoo pull {handle}` to fetch it again.")
{
    /// <summary>The model's handle.</summary>
    public string Handle { get; } = handle;

    /// <summary>The card's name of the damaged file.</summary>
    public string FileName { get; } = fileName;

    /// <summary>Where the damaged file was in the store.</summary>
    public string Path { get; } = path;
}
