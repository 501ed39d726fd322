using System.Text.Json;
using ModelZoo.Imaging;
using ModelZoo.Server.Adapters;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tasks;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Adapters;

/// <summary>The generic adapter over the library's task descriptors.</summary>
[Collection(RealModelsCollection.Name)]
public sealed class DescriptorEndpointTests(RealModelsServer fixture)
{
    [Fact]
    public void Every_registered_task_descriptor_is_served_by_the_one_generic_adapter()
    {
        var registry = TaskEndpointRegistry.CreateDefault(RealModelsServer.FaceAttributes);
        foreach (var descriptor in TaskRegistry.Default.All)
        {
            var endpoint = registry.Find(descriptor.Task);
            Assert.NotNull(endpoint);
            Assert.Equal(typeof(DescriptorEndpoint<,>), endpoint.GetType().GetGenericTypeDefinition());
            Assert.Equal(descriptor.Input, endpoint.Input);
        }
        // Only the tasks no descriptor covers have adapters of their own.
        Assert.Equal(TaskRegistry.Default.All.Count + 2, registry.Tasks.Count);
        Assert.IsType<OcrEndpoint>(registry.Find(Catalog.ModelTask.TextDetection));
        Assert.IsType<TextEmbeddingEndpoint>(registry.Find(Catalog.ModelTask.TextEmbedding));
    }

    [Fact]
    public async Task Geometry_of_an_image_decoded_smaller_comes_back_in_the_pixels_it_was_sent_in()
    {
        // 512 × 512 and 768 × 576 photos decoded to at most 400 × 300 pixels' worth: results are scaled back by about 1.5 and 1.9.
        await using var reduced = await RunningServer.StartAsync(SharedStore.Settings, o =>
        {
            o.Decode = new ImageDecodeOptions { MaxPixels = 50_000_000, MaxDecodedPixels = 400 * 300 };
            o.AllowPull = true;
            o.Session = new Runtime.SessionSettings { IntraOpThreads = 1 };
            o.RequestTimeout = TimeSpan.FromMinutes(3);
        });
        var astronaut = await File.ReadAllBytesAsync(RealModelsServer.Astronaut);
        var face = RealModelsServer.AstronautFace;

        using var poses = await RealModelsServer.PredictAsync(reduced, RealModelsServer.Pose, astronaut);
        var nose = poses.RootElement.GetProperty("poses")[0].GetProperty("keypoints")[0];
        Assert.InRange(nose.GetProperty("x").GetSingle(), face.X, face.X + face.Width);
        Assert.InRange(nose.GetProperty("y").GetSingle(), face.Y, face.Y + face.Height);

        using var faces = await RealModelsServer.PredictAsync(reduced, RealModelsServer.Faces, astronaut);
        var box = faces.RootElement.GetProperty("faces")[0].GetProperty("box");
        Assert.InRange(box.GetProperty("x").GetSingle(), 140f, 200f);
        Assert.InRange(box.GetProperty("y").GetSingle(), 40f, 100f);
        Assert.InRange(box.GetProperty("width").GetSingle(), 60f, 160f);

        var dog = await File.ReadAllBytesAsync(RealModelsServer.Dog);
        using var small = await RealModelsServer.PredictAsync(reduced, RealModelsServer.Detector, dog);
        using var full = await fixture.PredictAsync(RealModelsServer.Detector, dog);
        var (smallDog, fullDog) = (DogBox(small), DogBox(full));
        Assert.InRange(smallDog.X - fullDog.X, -40f, 40f);
        Assert.InRange(smallDog.Width - fullDog.Width, -60f, 60f);
        Assert.InRange(smallDog.Y + smallDog.Height - (fullDog.Y + fullDog.Height), -40f, 40f);
    }

    [Fact]
    public async Task Face_embeddings_are_served_with_their_default_detector_loaded_alongside()
    {
        const string handle = "face/mobilefacenet/embedding";
        await using var server = await RunningServer.StartAsync(SharedStore.Settings, o =>
        {
            o.Models.Add(handle);
            o.RequestTimeout = TimeSpan.FromMinutes(3);
        });
        var endpoint = Assert.IsType<DescriptorEndpoint<IReadOnlyList<EmbeddedFace>, FaceOptions>>(
            TaskEndpointRegistry.CreateDefault(RealModelsServer.FaceAttributes).Find(Catalog.ModelTask.FaceEmbedding));
        Assert.Equal([FaceEmbedder.DefaultDetector], endpoint.CompanionHandles);

        using var result = await RealModelsServer.PredictAsync(server, handle, await File.ReadAllBytesAsync(RealModelsServer.Astronaut));

        var face = Assert.Single(result.RootElement.GetProperty("faces").EnumerateArray().ToList());
        Assert.InRange(face.GetProperty("box").GetProperty("x").GetSingle(), 140f, 200f);
        var embedding = face.GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(192, embedding.Count);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => v * v)), 3);
    }

    [Fact]
    public async Task Boxes_and_keypoints_of_a_jpeg_decoded_at_a_dct_scale_match_the_full_size_decode()
    {
        // The fixture decodes a JPEG for the detector and MoveNet at the smallest scale their resize still shrinks
        // (dog.jpg at 5/8 for NanoDet's 416, person.jpg at 3/8 for MoveNet's 192); answers are in the sent pixels.
        using var store = new Store.ModelStore(SharedStore.Settings);
        var catalog = Catalog.ModelCatalog.Load(SharedStore.Settings);
        using var detector = ObjectDetector.Open(await store.OpenAsync(catalog.Get(RealModelsServer.Detector)));
        var dogPath = TestAssets.Image("darknet/dog.jpg");
        using var dogImage = ImageDecoder.Decode(dogPath);
        using var served = await RealModelsServer.PredictAsync(fixture.Server, RealModelsServer.Detector, await File.ReadAllBytesAsync(dogPath));
        var boxes = served.RootElement.GetProperty("detections").EnumerateArray()
            .Select(d => (Label: d.GetProperty("label").GetString(), Box: BoxOf(d.GetProperty("box")))).ToList();
        // The clear detections, the bicycle and the dog (the pickup's truck and car, near the 0.3 threshold, may flip either
        // way, as between two JPEG encodings).
        var reference = detector.Detect(dogImage).Where(d => d.Score >= 0.4f).ToList();
        Assert.True(reference.Count >= 2, $"{reference.Count} clear detections in dog.jpg: {string.Join(", ", detector.Detect(dogImage))}");
        foreach (var r in reference)
        {
            var best = boxes.Where(b => b.Label == r.Label).Select(b => b.Box.IntersectionOverUnion(r.Box)).DefaultIfEmpty(0).Max();
            Assert.True(best >= 0.9f, $"{r.Label} at {r.Box}: best IoU {best:0.00} among {string.Join(", ", boxes)}");
        }

        var personPath = TestAssets.Image("darknet/person.jpg");
        using var pose = PoseEstimator.Open(await store.OpenAsync(catalog.Get(RealModelsServer.Pose)));
        using var personImage = ImageDecoder.Decode(personPath);
        var expected = Assert.Single(pose.Estimate(personImage)).Keypoints;
        using var poses = await RealModelsServer.PredictAsync(fixture.Server, RealModelsServer.Pose, await File.ReadAllBytesAsync(personPath));
        var keypoints = poses.RootElement.GetProperty("poses")[0].GetProperty("keypoints").EnumerateArray().ToList();
        Assert.Equal(expected.Count, keypoints.Count);
        var diagonal = MathF.Sqrt(personImage.Width * personImage.Width + personImage.Height * personImage.Height);
        var near = expected.Zip(keypoints).Count(p =>
            MathF.Sqrt(MathF.Pow(p.First.X - p.Second.GetProperty("x").GetSingle(), 2) + MathF.Pow(p.First.Y - p.Second.GetProperty("y").GetSingle(), 2)) <= 0.02f * diagonal);
        Assert.True(near >= expected.Count - 1, $"{near} of {expected.Count} keypoints within 2 % of the diagonal");
    }

    private static BoundingBox BoxOf(JsonElement box) => new(box.GetProperty("x").GetSingle(), box.GetProperty("y").GetSingle(),
        box.GetProperty("width").GetSingle(), box.GetProperty("height").GetSingle());

    private static (float X, float Y, float Width, float Height) DogBox(JsonDocument result)
    {
        var dogs = result.RootElement.GetProperty("detections").EnumerateArray().Where(d => d.GetProperty("label").GetString() == "dog").ToList();
        Assert.True(dogs.Count > 0, $"no dog in {result.RootElement}");
        var box = dogs.MaxBy(d => d.GetProperty("score").GetSingle()).GetProperty("box");
        return (box.GetProperty("x").GetSingle(), box.GetProperty("y").GetSingle(), box.GetProperty("width").GetSingle(), box.GetProperty("height").GetSingle());
    }
}
