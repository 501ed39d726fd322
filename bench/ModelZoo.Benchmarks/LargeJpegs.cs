using SkiaSharp;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>large-jpegs OUT [--side 1600] [--classes animals,food,plants,town,vehicles]</c>: the Tux Paint stamps of each class
/// folder (recursively), composited on white, enlarged so the longer side is <c>--side</c> pixels (Mitchell cubic) and
/// saved as quality-90 JPEGs in <c>OUT/class/</c>: a folder of photo-sized JPEGs for timing <c>zoo train</c> with and
/// without <c>--full-decode</c>. The defaults give the tux-top5 set of the train-vs-mlnet comparison.
/// </summary>
internal static class LargeJpegs
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: large-jpegs OUT [--side 1600] [--classes animals,food,plants,town,vehicles]");
            return 2;
        }
        var side = Option(args, "--side") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 1600;
        var classes = (Option(args, "--classes") ?? "animals,food,plants,town,vehicles").Split(',');
        var stamps = Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata", "tuxpaint");
        foreach (var name in classes)
        {
            var source = Path.Combine(stamps, name);
            if (!Directory.Exists(source))
            {
                Console.Error.WriteLine($"no Tux Paint stamps under {source}; run scripts/fetch-test-assets.sh first");
                return 1;
            }
            var target = Directory.CreateDirectory(Path.Combine(args[0], name)).FullName;
            var files = Directory.GetFiles(source, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            foreach (var file in files)
            {
                var jpeg = Enlarge(file, side);
                var stem = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '_');
                File.WriteAllBytes(Path.Combine(target, Path.ChangeExtension(stem, ".jpg")), jpeg);
            }
            Console.WriteLine($"{name}: {files.Count} JPEGs in {target}");
        }
        return 0;
    }

    private static byte[] Enlarge(string file, int side)
    {
        using var bitmap = SKBitmap.Decode(file) ?? throw new InvalidDataException($"cannot decode {file}");
        var scale = (float)side / Math.Max(bitmap.Width, bitmap.Height);
        var (width, height) = ((int)(bitmap.Width * scale), (int)(bitmap.Height * scale));
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(bitmap);
        surface.Canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
