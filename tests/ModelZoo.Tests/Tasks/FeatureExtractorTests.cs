using System.Numerics.Tensors;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Tasks;

public sealed class FeatureExtractorTests
{
    private const string Handle = "imagenet/resnet18/feature_vector";

    private static async Task<LocalModel> PullResNetAsync()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        return await store.OpenAsync(ModelCatalog.Load(settings).Get(Handle));
    }

    [Theory]
    [InlineData("darknet/dog.jpg")]
    [InlineData("darknet/person.jpg")]
    [InlineData("skimage/chelsea.png")]
    [InlineData("skimage/coffee.png")]
    public async Task ResNet18_card_preprocessing_gives_the_same_vector_as_the_packages_own_preprocessing_graph(string photo)
    {
        var model = await PullResNetAsync();
        using var extractor = FeatureExtractor.Open(model);
        using var image = ImageDecoder.Decode(TestAssets.Image(photo));
        var ours = extractor.Extract(image);
        Assert.Equal(512, ours.Length);

        // Reference: the package's ResNetPreprocess.onnx on the same resized RGB pixels (0–255, NCHW), then ResNet18.onnx.
        var spec = model.Card.Input!;
        using var resized = ImagePreprocessor.Resize(image, spec, out _);
        var pixels = resized.Pixels;
        var planar = new float[3 * spec.Height * spec.Width];
        var plane = spec.Height * spec.Width;
        for (var i = 0; i < plane; i++)
        {
            planar[i] = pixels[i * 3];
            planar[plane + i] = pixels[i * 3 + 1];
            planar[2 * plane + i] = pixels[i * 3 + 2];
        }
        using var prep = ModelSession.Open(model.PathOf("ResNetPreprocess.onnx"), new SessionSettings { DynamicBatch = false });
        var prepared = prep.Run(prep.Inputs[0].Name, planar, [1, 3, spec.Height, spec.Width])[0].AsFloats();
        using var backbone = ModelSession.Open(model.ModelPath, new SessionSettings { DynamicBatch = false });
        var reference = backbone.Run(backbone.Inputs[0].Name, prepared, [1, 3, spec.Height, spec.Width])[0].AsFloats();

        var cosineDistance = 1 - TensorPrimitives.CosineSimilarity(ours, reference);
        Assert.True(cosineDistance <= 1e-3, $"cosine distance {cosineDistance} between card preprocessing and the package graph");
    }

    [Fact]
    public async Task Extraction_is_deterministic_and_batching_does_not_change_vectors()
    {
        var model = await PullResNetAsync();
        using var extractor = FeatureExtractor.Open(model, new ImageTaskOptions { BatchSize = 3 });
        string[] photos = ["darknet/dog.jpg", "darknet/horses.jpg", "skimage/astronaut.png"];
        var images = photos.Select(p => ImageDecoder.Decode(TestAssets.Image(p))).ToList();
        try
        {
            var batch = extractor.Extract(images);
            var again = extractor.Extract(images);
            for (var i = 0; i < images.Count; i++)
            {
                Assert.Equal(batch[i], again[i]);
                var single = extractor.Extract(images[i]);
                Assert.True(1 - TensorPrimitives.CosineSimilarity(batch[i], single) < 1e-5, $"{photos[i]} differs between batch and single runs");
            }
            // Different photos give clearly different vectors.
            Assert.True(TensorPrimitives.CosineSimilarity(batch[0], batch[2]) < 0.95);
        }
        finally
        {
            images.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public async Task File_pipeline_keeps_input_order_and_reports_unreadable_files_without_stopping()
    {
        var model = await PullResNetAsync();
        // Full-size decodes, so the file loop's vectors are exactly the in-memory ones (scaled decodes agree to a cosine
        // of 0.995: ScaledDecodeAgreementTests).
        using var extractor = FeatureExtractor.Open(model, new ImageTaskOptions { BatchSize = 2, ScaledDecode = false });
        var bad = Path.Combine(Path.GetTempPath(), $"zoo-not-an-image-{Guid.NewGuid():N}.jpg");
        await File.WriteAllTextAsync(bad, "this is not a JPEG");
        try
        {
            string[] paths = [TestAssets.Image("darknet/dog.jpg"), bad, TestAssets.Image("darknet/eagle.jpg")];
            var outcomes = new List<ImageOutcome<float[]>>();
            await foreach (var outcome in extractor.ExtractFilesAsync(paths))
            {
                outcomes.Add(outcome);
            }
            Assert.Equal(paths, outcomes.Select(o => o.Path));
            Assert.True(outcomes[0].Succeeded);
            Assert.False(outcomes[1].Succeeded);
            Assert.Contains(Path.GetFileName(bad), outcomes[1].Error!.Message);
            Assert.True(outcomes[2].Succeeded);
            using var eagle = ImageDecoder.Decode(paths[2]);
            Assert.True(1 - TensorPrimitives.CosineSimilarity(outcomes[2].Value!, extractor.Extract(eagle)) < 1e-5);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
