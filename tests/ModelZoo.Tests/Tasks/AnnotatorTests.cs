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
            Layers = [new PoseLayer([new Pose(0.8f, keypoints)]), new MaskLayer([new SegmentationMask("person", 320, 240, alpha, 20f / 240)])],
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

/// <summary>Label tags on real detections: strongest drawn last, no tag over another.</summary>
public sealed class AnnotatorLabelLayoutTests(ModelZoo.Tests.Infrastructure.HumanVisionModels models)
    : IClassFixture<ModelZoo.Tests.Infrastructure.HumanVisionModels>
{
    [Theory]
    [InlineData("coco/nanodet/detection", "darknet/horses.jpg")]
    [InlineData("coco/centernet/detection", "darknet/giraffe.jpg")]
    [InlineData("coco/centernet/detection", "darknet/dog.jpg")]
    public void Tags_on_a_real_detection_do_not_overlap_and_the_strongest_is_drawn_last(string handle, string photo)
    {
        var image = models.Image(photo);
        var detections = models.Detector(handle).Detect(image, new DetectionOptions { ScoreThreshold = 0.2f });
        Assert.True(detections.Count >= 2, $"{handle} found only {detections.Count} objects in {photo}; the layout needs at least two");
        var annotations = new Annotations { Detections = detections };

        var tags = Annotator.PlaceLabels(image.Width, image.Height, annotations);

        Assert.Equal(detections.Count, tags.Count);
        Assert.Equal(detections.Select(d => d.Score).Order(), tags.Select(t => t.Score));
        Assert.Equal(detections.Max(d => d.Score), tags[^1].Score);
        for (var i = 0; i < tags.Count; i++)
        {
            var a = tags[i].Area;
            Assert.InRange(a.X, 0f, image.Width - a.Width + 0.01f);
            Assert.InRange(a.Y, 0f, image.Height - a.Height + 0.01f);
            for (var j = i + 1; j < tags.Count; j++)
            {
                var b = tags[j].Area;
                var overlap = a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;
                Assert.False(overlap, $"'{tags[i].Text}' at {a} overlaps '{tags[j].Text}' at {b}");
            }
        }
        // The strongest detection's tag sits at its box: above it, or inside or below when the image's edge is in the way.
        var best = detections.MaxBy(d => d.Score)!;
        Assert.InRange(tags[^1].Area.Y, best.Box.Y - tags[^1].Area.Height - 0.01f, best.Box.Bottom + 0.01f);

        var path = Path.Combine(TestAssets.RepoRoot, ".cache", "annotated", $"{handle.Split('/')[1]}-{Path.GetFileNameWithoutExtension(photo)}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Annotator.SavePng(image, annotations, path);
        using var png = SKBitmap.Decode(path);
        // The strongest tag is drawn last: its fill is not covered by any other drawing.
        var inside = png.GetPixel((int)(tags[^1].Area.X + 1), (int)(tags[^1].Area.Y + 1));
        var again = png.GetPixel((int)(tags[^1].Area.X + 2), (int)(tags[^1].Area.Bottom - 2));
        Assert.Equal(inside, again);
    }
}
