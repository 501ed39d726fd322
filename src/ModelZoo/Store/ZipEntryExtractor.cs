using System.IO.Compression;

namespace ModelZoo.Store;

/// <summary>Extracts one entry of a zip archive (a .nupkg) after checking every entry name in its central directory.</summary>
internal static class ZipEntryExtractor
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    /// <summary>Writes the entry <paramref name="entryPath"/> to <paramref name="destination"/>; its size may not exceed <paramref name="maxBytes"/>.</summary>
    public static async Task ExtractAsync(string archivePath, string archiveLabel, string entryPath, string destination,
        long maxBytes, CancellationToken ct)
    {
        using var archive = await ZipFile.OpenReadAsync(archivePath, ct).ConfigureAwait(false);
        ZipArchiveEntry? wanted = null;
        foreach (var entry in archive.Entries)
        {
            if (ArchiveEntries.Problem(entry.FullName) is { } problem)
            {
                throw new UnsafeArchiveException(archiveLabel, entry.FullName, problem);
            }
            if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
            {
                throw new UnsafeArchiveException(archiveLabel, entry.FullName, "symbolic link");
            }
            // NuGet stores names percent-escaped (a space is %20), so compare both forms.
            if (wanted is null && (entry.FullName == entryPath || Uri.UnescapeDataString(entry.FullName) == entryPath))
            {
                wanted = entry;
            }
        }
        if (wanted is null)
        {
            throw ArchiveEntries.NotInPackage(archiveLabel, entryPath, archive.Entries.Select(e => e.FullName));
        }
        if (wanted.Length > maxBytes)
        {
            throw new UnsafeArchiveException(archiveLabel, wanted.FullName, $"declares {wanted.Length} bytes, more than the {maxBytes} allowed");
        }
        // Damaged deflate data throws InvalidDataException; damage that still inflates is caught by the SHA-256 check.
        await using var source = await wanted.OpenAsync(ct).ConfigureAwait(false);
        await ArchiveEntries.CopyBoundedAsync(source, destination, maxBytes, archiveLabel, wanted.FullName, ct).ConfigureAwait(false);
    }
}
