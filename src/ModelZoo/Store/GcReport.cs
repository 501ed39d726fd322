namespace ModelZoo.Store;

/// <summary>What <see cref="ModelStore.CollectGarbage"/> removed.</summary>
/// <param name="BlobsDeleted">Blobs and cached package archives deleted.</param>
/// <param name="BytesFreed">Total size of the deleted files, temporary files included.</param>
/// <param name="TempFilesDeleted">Abandoned temporary files deleted: partial downloads and extraction temps no pull holds, other temp files a day old.</param>
public sealed record GcReport(int BlobsDeleted, long BytesFreed, int TempFilesDeleted);
