namespace ModelZoo.Store;

/// <summary>Progress of one file during a pull.</summary>
/// <param name="FileName">The card's name of the file.</param>
/// <param name="BytesDone">Bytes received (or found in the store) so far.</param>
/// <param name="BytesTotal">Expected size, when known.</param>
/// <param name="Cached">True when the file was already in the store and nothing was downloaded.</param>
public sealed record PullProgress(string FileName, long BytesDone, long? BytesTotal, bool Cached);
