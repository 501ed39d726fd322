using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// Builds small private stores from the checkout's shared one (real models, copied so that damaging them cannot touch
/// the shared store) and damages files in them the way a failing disk or a stray write does.
/// </summary>
public static class BlobDamage
{
    /// <summary>XORs <paramref name="count"/> bytes in the middle of the file (its length and name stay the same).</summary>
    public static void FlipMiddle(string path, int count = 4096)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var length = (int)Math.Min(count, stream.Length);
        var start = (stream.Length - length) / 2;
        var buffer = new byte[length];
        stream.Position = start;
        stream.ReadExactly(buffer);
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] ^= 0x5A;
        }
        stream.Position = start;
        stream.Write(buffer);
    }

    /// <summary>
    /// Copies the model folder of built-in card <paramref name="handle"/> from the shared store into <paramref name="home"/>
    /// (pulling it into the shared store first if needed). With <paramref name="withPackage"/>, the package archive the
    /// files come from is made available too (a symbolic link to the shared copy), so the store can re-extract offline;
    /// the TFJS translation cache entry is linked the same way. Returns the card.
    /// </summary>
    public static ModelCard CopyFromShared(string home, string handle, bool withPackage)
    {
        var shared = SharedStore.Settings;
        var card = ModelCatalog.LoadBuiltin().Get(handle);
        using (var store = new ModelStore(shared))
        {
            store.OpenAsync(card).GetAwaiter().GetResult();
        }
        var sharedLayout = new StoreLayout(shared.Home);
        var layout = new StoreLayout(home);
        foreach (var file in card.Files)
        {
            var target = layout.ModelFile(card.Handle, card.Version, file.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(sharedLayout.ModelFile(card.Handle, card.Version, file.Name), target, overwrite: true);
            var imported = Path.Combine(shared.Home, "imported", file.Sha256 + ".onnx");
            if (File.Exists(imported))
            {
                LinkInto(imported, Path.Combine(home, "imported", file.Sha256 + ".onnx"));
            }
            if (withPackage && PackageOf(sharedLayout, file) is { } package)
            {
                LinkInto(package, Path.Combine(home, Path.GetRelativePath(shared.Home, package)));
            }
        }
        return card;
    }

    /// <summary>The path of file <paramref name="name"/> of <paramref name="card"/> in the store at <paramref name="home"/>.</summary>
    public static string ModelFile(string home, ModelCard card, string name) =>
        new StoreLayout(home).ModelFile(card.Handle, card.Version, name);

    private static string? PackageOf(StoreLayout layout, ModelFile file) => ModelSource.Parse(file.Source) switch
    {
        NuGetSource n => layout.Package("nuget", n.PackageId.ToLowerInvariant(), NuGetFeed.NormalizeVersion(n.Version).ToLowerInvariant(), ".nupkg"),
        NpmSource n => layout.Package("npm", n.PackageName, n.Version, ".tgz"),
        _ => null,
    };

    private static void LinkInto(string existing, string link)
    {
        Assert.True(File.Exists(existing), $"{existing} is missing from the shared store; run scripts/fetch-test-assets.sh and the store tests once.");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, existing);
        }
    }
}
