namespace ModelZoo.Store;

/// <summary>
/// A file already in the store no longer has the SHA-256 its model card declares (damaged on disk, or written to
/// through its hard link). The damaged copy is removed from the store before this is thrown, so it is never used.
/// </summary>
public sealed class BlobCorruptException : ZooException
{
    /// <summary>Creates the error for file <paramref name="fileName"/> of <paramref name="handle"/>.</summary>
    public BlobCorruptException(string handle, string fileName, string path, bool removed)
        : base(ZooErrors.BlobCorrupt,
            $"File '{fileName}' of model '{handle}' in the store ({path}) is corrupt: its SHA-256 differs from the model card" +
            (removed ? "; the damaged copy was removed" : "") +
            $"; run `zoo pull {handle}` to fetch it again.")
    {
        Handle = handle;
        FileName = fileName;
        Path = path;
    }

    /// <summary>The model's handle.</summary>
    public string Handle { get; }

    /// <summary>The card's name of the damaged file.</summary>
    public string FileName { get; }

    /// <summary>Where the damaged file was in the store.</summary>
    public string Path { get; }
}
