namespace ModelZoo.Cli.Infrastructure;

/// <summary>Expands the PATH arguments of image commands: files as given, folders into their images (recursively, sorted).</summary>
public static class ImagePaths
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp",
    };

    /// <summary>Returns the image files named by <paramref name="arguments"/>, failing on a path that does not exist.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments)
    {
        var result = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var files = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    throw new ZooUsageException($"folder '{argument}' holds no images (.jpg, .png, .bmp, .gif, .webp); point at a folder with images in it.");
                }
                result.AddRange(files);
            }
            else if (File.Exists(argument))
            {
                result.Add(argument);
            }
            else
            {
                throw new ZooUsageException($"'{argument}' does not exist; pass an image file or a folder of images.");
            }
        }
        if (result.Count == 0)
        {
            throw new ZooUsageException("no images given; pass one or more image files or folders.");
        }
        return result;
    }
}
