using System.Numerics.Tensors;
using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Tasks;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Features;
using SkiaSharp;

namespace ModelZoo.Training.Tests.Features;

/// <summary>Training's feature extraction decodes JPEGs the way the image pipelines do: at the smallest DCT scale the
/// card's resize still shrinks, unless told otherwise; the two decodes' vectors are cached apart.</summary>
public sealed class ScaledDecodeExtractionTests
{
    // 768 × 576 and larger photos: MobileNet's resize to a shorter side of 256 lets the codec decode them at 4/8 or less.
    private static readonly string[] Photos = ["darknet/dog.jpg", "darknet/horses.jpg", "darknet/person.jpg", "darknet/eagle.jpg", "darknet/giraffe.jpg", "darknet/kite.jpg"];

    [Fact]
    public async Task Scaled_decode_moves_features_about_as_far_as_re_encoding_the_photo_and_the_two_are_cached_apart()
    {
        using var temp = new TempHome();
        var local = await MobileNetStore.PullAsync(SharedStore.Settings, requireDownload: false);
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(local.ModelPath));
        var spec = local.Card.Input!;
        var cache = new FeatureCache(Path.Combine(temp.Path, "features"));
        var paths = Photos.Select(TestAssets.Image).ToList();

        using var scaled = BackboneFeatureExtractor.Open(backbone, spec, null, "scaled-decode", cache);
        var first = await scaled.ExtractAsync(paths);
        Assert.Equal((0, paths.Count), (first.Hits, first.Misses));
        using var full = BackboneFeatureExtractor.Open(backbone, spec, null, "scaled-decode", cache, new ImageTaskOptions { ScaledDecode = false });
        var reference = await full.ExtractAsync(paths);
        // The full decode's vectors are not the scaled ones read back.
        Assert.Equal((0, paths.Count), (reference.Hits, reference.Misses));

        // The yardstick: the same photos saved again as JPEG at quality 92 and decoded at full size. The int8 MobileNet's
        // vectors are sensitive (cosine 0.977–0.985 to the re-encoded photos; the scaled decode 0.963–0.983).
        var reencoded = await full.ExtractAsync(paths.Select(p => Reencode(p, temp.Path)).ToList());
        var scaledDistance = Distances(first, reference);
        var reencodedDistance = Distances(reencoded, reference);
        var report = $"1 − cosine to the full decode: scaled {string.Join(", ", scaledDistance.Select(d => d.ToString("0.0000")))}; re-encoded {string.Join(", ", reencodedDistance.Select(d => d.ToString("0.0000")))}";
        Assert.True(scaledDistance.Average() <= 2 * reencodedDistance.Average(), report);
        Assert.True(scaledDistance.Max() <= 0.05f, report);
        Assert.True(scaledDistance.Min() > 1e-5f, "a vector is identical to the full decode's: that photo was not decoded smaller; " + report);

        var again = await scaled.ExtractAsync(paths);
        Assert.Equal((paths.Count, 0), (again.Hits, again.Misses));
        Assert.Equal(first.Images.Select(i => i.Features![0]), again.Images.Select(i => i.Features![0]));
    }

    private static List<float> Distances(FeatureExtractionRun run, FeatureExtractionRun reference) =>
        run.Images.Zip(reference.Images, (a, b) => 1 - TensorPrimitives.CosineSimilarity(a.Features![0], b.Features![0])).ToList();

    private static string Reencode(string path, string folder)
    {
        using var bitmap = SKBitmap.Decode(path);
        using var image = SKImage.FromBitmap(bitmap);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 92);
        var target = Path.Combine(folder, Path.GetFileName(path));
        File.WriteAllBytes(target, jpeg.ToArray());
        return target;
    }

    [Fact]
    public void The_full_decode_keeps_the_preprocessing_key_of_earlier_versions_and_the_scaled_one_has_its_own()
    {
        var spec = new InputSpec { Name = "input", Width = 224, Height = 224, ResizeShorterSide = 256 };
        var earlier = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            "input-v1\n" + System.Text.Json.JsonSerializer.Serialize(spec, ModelCardJson.Options))));
        Assert.Equal(earlier, FeatureKeys.Preprocessing(spec));
        Assert.NotEqual(earlier, FeatureKeys.Preprocessing(spec, scaledDecode: true));
    }
}
