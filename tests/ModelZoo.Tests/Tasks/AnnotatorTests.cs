using ModelZoo.Imaging;
using ModelZoo.Tasks;
using SkiaSharp;

namespace ModelZoo.Tests.Tasks;

public sealed class AnnotatorTests
{
    [Fact]
    public void Boxes_skeletons_and_masks_are_drawn_where_the_results_are()
    {
        var pixels = Enumerable.Repeat((byte)128, 3 * 320 * 240).ToArray();
        using var image = RgbImage.FromPixels(320, 240, pixels);
        var keypoints = CocoKeypoints.Names.Select((name, i) => new Keypoint(name, 200 + (i % 2) * 20, 40 + i * 10, i == 16 ? 0.05f : 0.9f)).ToList();
        var alpha = new byte[320 * 240];
        for (var y = 220; y < 240; y++)
        for (var x = 0; x < 320; x++)
        {
            alpha[y * 320 + x] = 255;
        }
        var annotations = new Annotations
        {
            Detections = [new Detection("dog", 1, 0.87f, new BoundingBox(40, 60, 100, 80))],
            Poses = [new Pose(0.8f, keypoints)],
            Masks = [new SegmentationMask("person", 320, 240, alpha, 20f / 240)],
        };
        var path = Path.Combine(TestAssets.RepoRoot, ".cache", "annotated", "synthetic.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        Annotator.SavePng(image, annotations, path);

        using var png = SKBitmap.Decode(path);
        Assert.Equal((320, 240), (png.Width, png.Height));
        Assert.Equal(new SKColor(128, 128, 128), png.GetPixel(20, 150));          // untouched
        Assert.NotEqual(new SKColor(128, 128, 128), png.GetPixel(40, 100));       // box's left edge
        Assert.NotEqual(new SKColor(128, 128, 128), png.GetPixel(100, 230));      // mask tint
        Assert.Equal(new SKColor(128, 128, 128), png.GetPixel(90, 100));          // inside the box
        Assert.NotEqual(new SKColor(128, 128, 128), png.GetPixel(200, 40));       // the nose dot
        // The right ankle (200, 200) scores 0.05: neither its dot nor the shin from the knee (200, 180) is drawn.
        Assert.Equal(new SKColor(128, 128, 128), png.GetPixel(200, 200));
        Assert.Equal(new SKColor(128, 128, 128), png.GetPixel(200, 192));
        Assert.NotEqual(new SKColor(128, 128, 128), png.GetPixel(200, 180));
    }
}
