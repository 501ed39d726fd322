using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Import;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Import;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Upscaling;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks.SuperResolution;

/// <summary>
/// The ESRGAN cards (TFJS layers models from npm) through the super-resolution task: quality on a halved real photo
/// against bicubic in the same run, parity with <c>tf.loadLayersModel</c>, tiling that matches a whole-image run,
/// and <c>zoo upscale</c>.
/// </summary>
public sealed class UpscalerTests(ITestOutputHelper output)
{
    private static readonly string[] Handles = ["image/esrgan_slim/x2", "image/esrgan_slim/x3", "image/esrgan_slim/x4"];

    private static async Task<LocalModel> PullAsync(string handle)
    {
        using var store = new ModelStore(SharedStore.Settings);
        return await store.OpenAsync(ModelCatalog.LoadBuiltin().Get(handle));
    }

    /// <summary>Halves an image by averaging each 2×2 block (rounded), as an antialiased downscale does.</summary>
    private static RgbImage Halve(RgbImage image)
    {
        int w = image.Width / 2, h = image.Height / 2;
        var src = image.Pixels;
        var dst = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = src[((2 * y) * image.Width + 2 * x) * 3 + c] + src[((2 * y) * image.Width + 2 * x + 1) * 3 + c]
                              + src[((2 * y + 1) * image.Width + 2 * x) * 3 + c] + src[((2 * y + 1) * image.Width + 2 * x + 1) * 3 + c];
                    dst[(y * w + x) * 3 + c] = (byte)((sum + 2) / 4);
                }
            }
        }
        return RgbImage.FromPixels(w, h, dst);
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
    public void Every_esrgan_card_is_a_super_resolution_card_of_its_scale()
    {
        var catalog = ModelCatalog.LoadBuiltin();
        foreach (var handle in Handles)
        {
            var card = catalog.Get(handle);
            Assert.Equal(ModelTask.SuperResolution, card.Task);
            Assert.Equal(ModelFormat.Tfjs, card.Format);
            Assert.Contains(card.Output!.Decoder, Upscaler.Decoders);
            Assert.All(card.Files, f => Assert.StartsWith("npm:@upscalerjs/esrgan-slim@1.0.0/", f.Source, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("image/esrgan_slim/x2", 2)]
    [InlineData("image/esrgan_slim/x3", 3)]
    [InlineData("image/esrgan_slim/x4", 4)]
    public async Task Each_card_upscales_by_its_scale(string handle, int scale)
    {
        var model = await PullAsync(handle);
        using var upscaler = Upscaler.Open(model);
        using var photo = ImageDecoder.Decode(TestAssets.Image("skimage/chelsea.png"));
        using var crop = Crop(photo, 100, 60, 37, 29);
        var result = upscaler.Upscale(crop, new UpscaleOptions { TileSize = 16, Overlap = 8 });
        Assert.Equal((37 * scale, 29 * scale), (result.Image.Width, result.Image.Height));
        Assert.Equal(scale, result.Scale);
        Assert.Equal(3 * 2, result.Tiles);
        // The model reproduces the photo: its result, shrunk back, is close to the input (not noise, not flat).
        using var back = BicubicResampler.Resize(result.Image, 37, 29);
        Assert.True(ImageQuality.Psnr(crop, back) > 28, $"{handle}: shrunk back, PSNR {ImageQuality.Psnr(crop, back):0.00} dB");
    }

    /// <summary>
    /// The done-when figure: astronaut.png halved (bicubic, antialiased: the degradation the DIV2K-trained models were
    /// trained on), doubled again, PSNR against the original (4-pixel border left out). The ESRGAN generator (thick,
    /// RRDN) must reach bicubic's PSNR of the same halved image; the slim RDN is measured and reported beside it.
    /// </summary>
    [Fact]
    public async Task Halved_astronaut_doubled_by_esrgan_reaches_bicubic()
    {
        using var original = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        using var half = BicubicResampler.Resize(original, original.Width / 2, original.Height / 2);
        using var bicubic = BicubicResampler.Resize(half, original.Width, original.Height);
        var baseline = ImageQuality.Psnr(original, bicubic, border: 4);
        var figures = new Dictionary<string, double>();
        foreach (var handle in new[] { "image/esrgan_thick/x2", "image/esrgan_slim/x2" })
        {
            using var upscaler = Upscaler.Open(await PullAsync(handle));
            var result = upscaler.Upscale(half);
            Assert.Equal((original.Width, original.Height), (result.Image.Width, result.Image.Height));
            figures[handle] = ImageQuality.Psnr(original, result.Image, border: 4);
            output.WriteLine($"astronaut.png halved to {half.Width}x{half.Height}, doubled by {handle}: {figures[handle]:0.00} dB ({result.Tiles} tiles); bicubic {baseline:0.00} dB");
        }
        Assert.True(figures["image/esrgan_thick/x2"] >= baseline, $"ESRGAN thick {figures["image/esrgan_thick/x2"]:0.00} dB < bicubic {baseline:0.00} dB");
        // The slim model is a far smaller network: within 1 dB of bicubic, not above it (29.82 against 30.15 dB here).
        Assert.True(figures["image/esrgan_slim/x2"] >= baseline - 1, $"ESRGAN slim {figures["image/esrgan_slim/x2"]:0.00} dB, bicubic {baseline:0.00} dB");
    }

    [Fact]
    public async Task Tiles_agree_with_a_whole_image_run()
    {
        var model = await PullAsync("image/esrgan_slim/x2");
        using var upscaler = Upscaler.Open(model);
        using var photo = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        using var crop = Crop(photo, 150, 40, 90, 70);
        var whole = upscaler.Upscale(crop, new UpscaleOptions { TileSize = 4096, Overlap = 0 });
        var tiled = upscaler.Upscale(crop, new UpscaleOptions { TileSize = 24, Overlap = 16 });
        Assert.Equal(1, whole.Tiles);
        Assert.Equal(4 * 3, tiled.Tiles);
        var a = whole.Image.Pixels;
        var b = tiled.Image.Pixels;
        var worst = 0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }
        // Float sums in another order can flip a rounding: at most one level.
        Assert.True(worst <= 1, $"tiled and whole-image results differ by {worst} levels");

        var untiledContext = upscaler.Upscale(crop, new UpscaleOptions { TileSize = 24, Overlap = 0 });
        Assert.True(ImageQuality.Psnr(whole.Image, untiledContext.Image) < ImageQuality.Psnr(whole.Image, tiled.Image),
            "tiles without context should show seams the overlap removes");
    }

    [Fact]
    public async Task Imported_model_matches_TensorFlow_js_on_the_halved_photo()
    {
        var model = await PullAsync("image/esrgan_slim/x2");
        using var original = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        using var half = Halve(original);
        using var crop = Crop(half, 60, 40, 48, 40);
        var input = new float[48 * 40 * 3];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = crop.Pixels[i];
        }
        var reference = TfjsReference.GetLayers(model.ModelPath, [1, 40, 48, 3], 0, 255, input: input);
        using var session = ModelSession.Open(ImportedModelCache.RunnableModelPath(model), new SessionSettings { DynamicBatch = false });
        var actual = session.Run("LR", (float[])input.Clone(), [1, 40, 48, 3])[0];
        var expected = (float[])reference.Outputs[0].Data;
        Assert.Equal(reference.Outputs[0].Shape, actual.Shape);
        var a = actual.AsFloats();
        var worst = 0d;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - expected[i]));
        }
        output.WriteLine($"max |onnx - tfjs| = {worst:E2} on a 0-255 output");
        Assert.True(worst <= 2e-3, $"ONNX and TensorFlow.js differ by {worst}");

        // The upscaler's bytes are TensorFlow.js's values rounded and clamped.
        using var upscaler = Upscaler.Open(model);
        var bytes = upscaler.Upscale(crop, new UpscaleOptions { TileSize = 4096, Overlap = 0 }).Image.Pixels;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(bytes[i] - Math.Clamp(Math.Round(expected[i]), 0, 255)) <= 1, $"byte {i}: {bytes[i]} vs TFJS {expected[i]}");
        }
    }

    [Fact]
    public void A_card_of_another_task_or_decoder_is_refused()
    {
        var detection = ModelCatalog.LoadBuiltin().Cards.First(c => c.Task == ModelTask.ObjectDetection);
        Assert.Throws<ZooUsageException>(() => Upscaler.Open(new LocalModel(detection, new Dictionary<string, string>())));
        var card = ModelCatalog.LoadBuiltin().Get("image/esrgan_slim/x2");
        var wrong = card with { Output = card.Output! with { Decoder = "mystery" } };
        var error = Assert.Throws<ZooException>(() => Upscaler.Open(new LocalModel(wrong, new Dictionary<string, string>())));
        Assert.Equal("decoder-unknown", error.Code);
        Assert.Throws<ZooUsageException>(() => new SuperResolutionTask().ParseOptions(new TaskOptionValues([new(SuperResolutionTask.TileKey, "2")])));
    }
}
