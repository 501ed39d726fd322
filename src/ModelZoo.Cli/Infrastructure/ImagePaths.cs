using ModelZoo.Imaging;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// Expands the PATH arguments of image commands: files as given, folders into their images (recursively, sorted).
/// A folder is walked once however many links lead to it (folders are identified by their resolved real path), so
/// link loops end and no file is listed twice. Entries that cannot be images are skipped with a report on the status
/// console instead of silently: other image formats (.heic, .tiff, …), pipes and devices, empty files, and names the
/// runtime cannot open because they are not valid UTF-8.
/// </summary>
public static class ImagePaths
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp",
    };

    /// <summary>Image formats the decoder does not read; found in a folder, they are reported rather than ignored.</summary>
    private static readonly HashSet<string> OtherImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".heic", ".heif", ".avif", ".jxl", ".tif", ".tiff", ".jp2", ".j2k", ".ico", ".svg", ".psd", ".tga",
        ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".rw2", ".raf", ".raw", ".exr", ".hdr", ".pcx", ".ppm", ".pgm",
    };

    private const string Supported = ".jpg, .png, .bmp, .gif, .webp";

    /// <summary>Returns the image files named by <paramref name="arguments"/>, failing on a path that does not exist or
    /// cannot be an image; what is skipped inside folders is reported on <paramref name="status"/>.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments, IAnsiConsole? status = null)
    {
        var result = new List<string>();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var walk = new Walk(seenFiles);
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var before = result.Count;
                walk.Folder(argument, result);
                if (result.Count == before && !walk.FoundInOtherArgument)
                {
                    throw new ZooUsageException($"folder '{argument}' holds no images ({Supported}) that can be read" +
                        (walk.Summary() is { } skipped ? $" (skipped: {skipped})" : "") +
                        "; point at a folder with images in it.");
                }
            }
            else if (File.Exists(argument))
            {
                if (new FileInfo(argument).Length == 0)
                {
                    // Refused before anything opens it: reading a pipe would wait for a writer forever.
                    throw new ImageDecodeException(ImageDecodeException.EmptyCode,
                        $"Image file '{argument}' is empty or not a regular file (a pipe or device); pass an image file.", Path.GetFileName(argument));
                }
                // Named files are taken as given (twice if named twice); only folder walks skip what was listed.
                seenFiles.Add(RealPath(argument));
                result.Add(argument);
            }
            else if (argument.Contains(Walk.Replacement))
            {
                throw new ZooUsageException($"'{argument}' cannot be opened: its name is not valid UTF-8, which .NET cannot pass to the file system; rename the file to a UTF-8 name.");
            }
            else
            {
                throw new ZooUsageException($"'{argument}' does not exist; pass an image file or a folder of images.");
            }
        }
        if (status is not null)
        {
            walk.Report(status);
        }
        if (result.Count == 0)
        {
            throw new ZooUsageException("no images given; pass one or more image files or folders.");
        }
        return result;
    }

    /// <summary>The path with every symbolic link (and junction) resolved, so that two routes to one folder compare equal.</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var segment in full[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (segment.Length == 0)
            {
                continue;
            }
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is { } target)
            {
                if (depth > 40)
                {
                    throw new ZooUsageException($"'{path}' goes through more than 40 symbolic links (a loop); remove the looping link.");
                }
                current = RealPath(Path.Combine(Path.GetDirectoryName(current) ?? root, target), depth + 1);
            }
        }
        return current;
    }

    /// <summary>One expansion: the folders and files already listed, and what was skipped, for the report.</summary>
    private sealed class Walk(HashSet<string> seenFiles)
    {
        /// <summary>What the runtime puts for bytes of a file name that are not valid UTF-8.</summary>
        public const char Replacement = '\uFFFD';

        private readonly HashSet<string> _seenFolders = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _otherFormats = new(StringComparer.OrdinalIgnoreCase);
        private int _loops;

        public List<string> Skipped { get; } = [];

        /// <summary>The last folder walked (or some of its images) was already listed through another argument or link.</summary>
        public bool FoundInOtherArgument { get; private set; }

        public void Folder(string folder, List<string> result)
        {
            FoundInOtherArgument = false;
            var real = RealPath(folder);
            if (!_seenFolders.Add(real))
            {
                FoundInOtherArgument = true;
                return;
            }
            var found = new List<string>();
            Visit(new DirectoryInfo(folder), folder, real, found);
            result.AddRange(found.Order(StringComparer.Ordinal));
        }

        /// <param name="folder">The folder to list.</param>
        /// <param name="shown">Its path as the user gave it (so listed files keep the form of the argument).</param>
        /// <param name="real">Its resolved real path.</param>
        /// <param name="found">Receives the images.</param>
        private void Visit(DirectoryInfo folder, string shown, string real, List<string> found)
        {
            FileSystemInfo[] entries;
            try
            {
                entries = folder.GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Skipped.Add($"folder '{folder.FullName}' cannot be read ({e.Message.TrimEnd('.')})");
                return;
            }
            foreach (var entry in entries)
            {
                if (entry is FileInfo && entry.Name.StartsWith('.'))
                {
                    continue;
                }
                if (entry.Name.Contains(Replacement) && !entry.Exists)
                {
                    Skipped.Add($"'{entry.FullName}': its name is not valid UTF-8, which .NET cannot open; rename it to a UTF-8 name");
                    continue;
                }
                if (entry is DirectoryInfo sub)
                {
                    var subReal = sub.LinkTarget is null ? Path.Combine(real, sub.Name) : SafeRealPath(sub.FullName);
                    if (subReal is null || !_seenFolders.Add(subReal))
                    {
                        _loops++; // a link back to a folder already walked: following it would list the same files again
                        continue;
                    }
                    Visit(sub, Path.Combine(shown, sub.Name), subReal, found);
                    continue;
                }
                var file = (FileInfo)entry;
                if (!Extensions.Contains(file.Extension))
                {
                    if (OtherImageExtensions.Contains(file.Extension))
                    {
                        _otherFormats[file.Extension.ToLowerInvariant()] = _otherFormats.GetValueOrDefault(file.Extension.ToLowerInvariant()) + 1;
                    }
                    continue;
                }
                if (!file.Exists)
                {
                    Skipped.Add($"'{file.FullName}': a link to nothing");
                    continue;
                }
                // Pipes, sockets and devices report no length; opening a pipe would wait for a writer forever.
                if (file.Length == 0)
                {
                    Skipped.Add($"'{file.FullName}': empty or not a regular file (a pipe or device)");
                    continue;
                }
                var fileReal = file.LinkTarget is null ? Path.Combine(real, file.Name) : SafeRealPath(file.FullName);
                if (fileReal is not null && seenFiles.Add(fileReal))
                {
                    found.Add(Path.Combine(shown, file.Name));
                }
                else if (fileReal is not null)
                {
                    FoundInOtherArgument = true;
                }
            }
        }

        private static string? SafeRealPath(string path)
        {
            try
            {
                return RealPath(path);
            }
            catch (ZooUsageException)
            {
                return null;
            }
        }

        /// <summary>What was skipped so far, in one short phrase; null when nothing was.</summary>
        public string? Summary()
        {
            var parts = new List<string>();
            if (Skipped.Count > 0)
            {
                parts.Add(Skipped[0] + (Skipped.Count > 1 ? $" and {Skipped.Count - 1} more" : ""));
            }
            if (_otherFormats.Count > 0)
            {
                parts.Add($"{_otherFormats.Values.Sum()} image(s) in formats that cannot be read ({OtherFormats()}): convert them to JPEG or PNG");
            }
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }

        private string OtherFormats() =>
            string.Join(", ", _otherFormats.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}"));

        public void Report(IAnsiConsole status)
        {
            foreach (var line in Skipped)
            {
                status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(line)}");
            }
            if (_otherFormats.Count > 0)
            {
                status.MarkupLine($"[yellow]skipped[/] {_otherFormats.Values.Sum()} image(s) in formats that cannot be read ({Markup.Escape(OtherFormats())}); convert them to JPEG or PNG to include them.");
            }
            if (_loops > 0)
            {
                status.MarkupLine($"[yellow]skipped[/] {_loops} folder link(s) leading to a folder already listed (each image is listed once).");
            }
        }
    }
}
