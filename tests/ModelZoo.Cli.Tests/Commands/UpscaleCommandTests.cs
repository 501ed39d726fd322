using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary><c>zoo upscale</c> with an ESRGAN card: PNGs of the scaled size, the JSON summary, a bad tile size refused.</summary>
public sealed class UpscaleCommandTests
{
    private static async Task PullAsync(string handle)
    {
        using var store = new ModelStore(SharedStore.Settings);
        await store.OpenAsync(ModelCatalog.LoadBuiltin().Get(handle));
    }

    private static RgbImage Crop(RgbImage image, int x0, int y0, int w, int h)
    {
        var dst = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            image.Pixels.Slice(((y0 + y) * image.Width + x0) * 3, w * 3).CopyTo(dst.AsSpan(y * w * 3));
        }
        return RgbImage.FromPixels(w, h, dst);
    }

    [Fact]
    public async Task Zoo_upscale_writes_pngs_and_json()
    {
        await PullAsync("image/esrgan_slim/x2");
        using var temp = new TempHome();
        using (var photo = ImageDecoder.Decode(TestAssets.Image("skimage/chelsea.png")))
        using (var crop = Crop(photo, 80, 40, 60, 50))
        using (var bitmap = crop.ToBitmap())
        using (var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100))
        {
            File.WriteAllBytes(Path.Combine(temp.Path, "cat.png"), png.ToArray());
        }
        var outDir = Path.Combine(temp.Path, "big");
        var result = CliRunner.Run(SharedStore.Settings, "upscale", "image/esrgan_slim/x2", Path.Combine(temp.Path, "cat.png"),
            "--out", outDir, "--tile", "32", "--json");
        Assert.True(result.ExitCode == 0, result.AllText);
        using var json = JsonDocument.Parse(result.Output);
        var entry = json.RootElement[0];
        Assert.Equal(120, entry.GetProperty("width").GetInt32());
        Assert.Equal(100, entry.GetProperty("height").GetInt32());
        Assert.Equal(2, entry.GetProperty("scale").GetInt32());
        Assert.Equal(2 * 2, entry.GetProperty("tiles").GetInt32());
        var file = entry.GetProperty("file").GetString()!;
        Assert.Equal(Path.Combine(outDir, "cat_x2.png"), file);
        using var written = ImageDecoder.Decode(file);
        Assert.Equal((120, 100), (written.Width, written.Height));

        var bad = CliRunner.Run(SharedStore.Settings, "upscale", "image/esrgan_slim/x2", Path.Combine(temp.Path, "cat.png"), "--tile", "3");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("tile size", bad.AllText, StringComparison.Ordinal);
    }
}
