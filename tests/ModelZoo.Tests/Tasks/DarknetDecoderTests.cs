using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// The darknet-yolo and darknet-region decoders, fed fixed head tensors in the layout <c>zoo import darknet</c>
/// writes, through a 64×64 letterboxed input: a 128×64 image is scaled by 0.5 and padded 16 pixels top and bottom.
/// </summary>
public sealed class DarknetDecoderTests
{
    private static readonly string[] TwoClasses = ["cat", "dog"];

    private static InputSpec Letterbox64 => new() { Width = 64, Height = 64, Resize = ResizeMode.Letterbox, PadValue = 127.5f };

    /// <summary>A [1, anchors × 7, 2, 2] head (2 classes) with one anchor's cell set.</summary>
    private static float[] Head(int anchors, int anchor, int row, int col, params float[] channels)
    {
        var data = new float[anchors * 7 * 4];
        for (var c = 0; c < channels.Length; c++)
        {
            data[((anchor * 7) + c) * 4 + row * 2 + col] = channels[c];
        }
        return data;
    }

    [Fact]
    public void Yolo_heads_use_pixel_anchors_and_keep_every_class_that_passes()
    {
        // Anchor 1 (16×8 px) at row 1, col 0: x 0.5, y 0, w = h = 0 (exp 1), objectness 0.9, classes 0.6 and 0.8.
        var head = Head(2, 1, 1, 0, 0.5f, 0f, 0f, 0f, 0.9f, 0.6f, 0.8f);
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "darknet-yolo", Letterbox64,
            [new T("yolo_0", head, 1, 14, 2, 2), new T("yolo_0_anchors", [30, 30, 16, 8], 2, 2)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = RgbImage.FromPixels(128, 64, new byte[3 * 128 * 64]);

        var detections = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f });

        Assert.Equal(["dog", "cat"], detections.Select(d => d.Label));
        Assert.Equal(0.72f, detections[0].Score, 5);
        Assert.Equal(0.54f, detections[1].Score, 5);
        // Input centre (16, 32), 16×8 → x 8..24, y 28..36 → source x 16..48, y 24..40.
        var box = detections[0].Box;
        Assert.Equal(16, box.X, 3);
        Assert.Equal(24, box.Y, 3);
        Assert.Equal(32, box.Width, 3);
        Assert.Equal(16, box.Height, 3);
    }

    [Fact]
    public void Region_heads_use_anchors_in_grid_cells()
    {
        // One anchor of 0.5 × 0.25 cells (16 × 8 px on a 2×2 grid of 32 px cells), same cell as above.
        var head = Head(1, 0, 1, 0, 0.5f, 0f, 0f, 0f, 0.9f, 0.2f, 0.8f);
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "darknet-region", Letterbox64,
            [new T("region_0", head, 1, 7, 2, 2), new T("region_0_anchors", [0.5f, 0.25f], 1, 2)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = RgbImage.FromPixels(128, 64, new byte[3 * 128 * 64]);

        var detections = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f });

        var d = Assert.Single(detections);
        Assert.Equal("dog", d.Label);
        Assert.Equal(0.72f, d.Score, 5);
        Assert.Equal(16, d.Box.X, 3);
        Assert.Equal(24, d.Box.Y, 3);
        Assert.Equal(32, d.Box.Width, 3);
        Assert.Equal(16, d.Box.Height, 3);
    }

    [Fact]
    public void A_head_without_its_anchors_is_a_shape_error()
    {
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "darknet-yolo", Letterbox64,
            [new T("yolo_0", new float[14 * 4], 1, 14, 2, 2)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = RgbImage.FromPixels(64, 64, new byte[3 * 64 * 64]);

        var error = Assert.Throws<ZooException>(() => detector.Detect(image));

        Assert.Equal("model-output-shape", error.Code);
        Assert.Contains("yolo_N_anchors", error.Message, StringComparison.Ordinal);
    }
}
