using System.Formats.Tar;
using System.IO.Compression;

namespace ModelZoo.Store;

/// <summary>
/// Streams a gzipped tarball (an npm package) and extracts one file. Like npm, it drops the first path
/// segment (normally <c>package/</c>). Entries read before the wanted one are checked too: a traversal or
/// absolute name, a link or a device entry makes the whole archive unsafe.
/// </summary>
internal static class TarEntryExtractor
{
    public static async Task ExtractAsync(string tgzPath, string archiveLabel, string pathInPackage, string destination,
        long maxBytes, CancellationToken ct)
    {
        await using var file = FileHashing.OpenRead(tgzPath);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var bounded = new BoundedReadStream(gzip, ArchiveEntries.MaxArchiveBytes, archiveLabel);
        await using var reader = new TarReader(bounded);
        var seen = new List<string>();
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            var name = entry.Name;
            if (ArchiveEntries.Problem(name) is { } problem)
            {
                throw new UnsafeArchiveException(archiveLabel, name, problem);
            }
            switch (entry.EntryType)
            {
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    throw new UnsafeArchiveException(archiveLabel, name, $"link to '{entry.LinkName}'");
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    throw new UnsafeArchiveException(archiveLabel, name, "device or pipe entry");
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    break;
                default:
                    continue; // directories and metadata entries carry no file data we want
            }
            var relative = StripFirstSegment(name);
            seen.Add(relative);
            if (relative != pathInPackage)
            {
                continue;
            }
            if (entry.Length > maxBytes)
            {
                throw new UnsafeArchiveException(archiveLabel, name, $"declares {entry.Length} bytes, more than the {maxBytes} allowed");
            }
            if (entry.DataStream is null)
            {
                await File.WriteAllBytesAsync(destination, [], ct).ConfigureAwait(false);
                return;
            }
            await ArchiveEntries.CopyBoundedAsync(entry.DataStream, destination, maxBytes, archiveLabel, name, ct).ConfigureAwait(false);
            return;
        }
        throw ArchiveEntries.NotInPackage(archiveLabel, pathInPackage, seen);
    }

    private static string StripFirstSegment(string name)
    {
        var trimmed = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        var slash = trimmed.IndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }
}
