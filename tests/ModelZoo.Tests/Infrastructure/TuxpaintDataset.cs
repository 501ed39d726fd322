namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// A small, real transfer-learning task built from the Tux Paint stamps that scripts/fetch-test-assets.sh fetches:
/// five visually distinct categories, copied into a class-per-folder dataset.
/// </summary>
public static class TuxpaintDataset
{
    /// <summary>Class name and the stamp folder its images come from (only the folder's own PNGs, not sub-folders).</summary>
    public static IReadOnlyList<(string Class, string Folder)> Classes { get; } =
    [
        ("birds", "tuxpaint/animals/birds"),
        ("flowers", "tuxpaint/plants/flowers"),
        ("fruit", "tuxpaint/food/fruit"),
        ("houses", "tuxpaint/town/houses/cartoon"),
        ("roadsigns", "tuxpaint/town/roadsigns"),
    ];

    /// <summary>Copies the first <paramref name="perClass"/> stamps (by name) of the first <paramref name="classes"/> classes into <paramref name="root"/>.</summary>
    public static string Create(string root, int perClass, int classes = 5)
    {
        foreach (var (name, folder) in Classes.Take(classes))
        {
            var source = TestAssets.ImageFolder(folder);
            var files = Directory.GetFiles(source, "*.png").Order(StringComparer.Ordinal).Take(perClass).ToList();
            Assert.True(files.Count == perClass,
                $"{source} has only {files.Count} PNG stamps, {perClass} needed; run scripts/fetch-test-assets.sh again.");
            var target = Path.Combine(root, name);
            Directory.CreateDirectory(target);
            foreach (var file in files)
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }
        return root;
    }

    /// <summary>Writes two files that are not decodable images into class folders: a truncated PNG and a text file named .jpg.</summary>
    public static IReadOnlyList<string> AddCorruptImages(string root)
    {
        var png = Directory.GetFiles(Path.Combine(root, Classes[0].Class), "*.png").Order(StringComparer.Ordinal).First();
        var truncated = Path.Combine(root, Classes[0].Class, "zz-truncated.png");
        File.WriteAllBytes(truncated, File.ReadAllBytes(png).AsSpan(0, 60).ToArray());
        var text = Path.Combine(root, Classes[2].Class, "zz-not-an-image.jpg");
        File.WriteAllText(text, "this is not a JPEG\n");
        return [truncated, text];
    }
}
