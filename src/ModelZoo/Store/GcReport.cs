namespace ModelZoo.Store;

/// <summary>What <see cref="ModelStore.CollectGarbage"/> removed.</summary>
/// <param name="BlobsDeleted">Blobs and cached package archives deleted.</param>
/// <param name="BytesFreed">Total size of the deleted files.</param>
/// <param name="TempFilesDeleted">Stale temporary files (abandoned partial downloads) deleted.</param>
public sealed record GcReport(int BlobsDeleted, long BytesFreed, int TempFilesDeleted);
