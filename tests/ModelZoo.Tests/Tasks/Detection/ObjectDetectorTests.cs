using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

public sealed class ObjectDetectorTests
{
    private static readonly string[] TwoClasses = ["cat", "dog"];

    /// <summary>A 64×64 letterboxed NCHW input: a 128×64 image is scaled by 0.5 and padded 16 pixels top and bottom.</summary>
    private static InputSpec Letterbox64 => new() { Width = 64, Height = 64, Resize = ResizeMode.Letterbox };

    private static RgbImage Blank(int width, int height) => RgbImage.FromPixels(width, height, new byte[3 * width * height]);

    [Fact]
    public void Yolov8_boxes_are_suppressed_per_class_and_mapped_back_through_the_letterbox()
    {
        // [1, 4 + 2 classes, 4 anchors], channels first: cx, cy, w, h, score(cat), score(dog).
        float[] cx = [32, 33, 32, 10], cy = [32, 32, 32, 10], w = [16, 16, 16, 4], h = [8, 8, 8, 4];
        float[] cat = [0.05f, 0.1f, 0.7f, 0.1f], dog = [0.9f, 0.8f, 0.1f, 0.2f];
        var data = cx.Concat(cy).Concat(w).Concat(h).Concat(cat).Concat(dog).ToArray();
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov8", Letterbox64, [new T("output0", data, 1, 6, 4)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(128, 64);

        var detections = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f });

        // Anchor 1 (dog 0.8) overlaps anchor 0 (dog 0.9) and goes; anchor 2 is a cat, so it stays although it is the same box.
        Assert.Equal(2, detections.Count);
        Assert.Equal(("dog", 1, 0.9f), (detections[0].Label, detections[0].ClassIndex, detections[0].Score));
        Assert.Equal(new BoundingBox(48, 24, 32, 16), detections[0].Box);
        Assert.Equal("cat", detections[1].Label);
        Assert.Equal(new BoundingBox(48, 24, 32, 16), detections[1].Box);

        var agnostic = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f, ClassAgnostic = true });
        Assert.Equal("dog", Assert.Single(agnostic).Label);
    }

    [Fact]
    public void Yolov5_score_is_objectness_times_class_probability()
    {
        // [1, 2 anchors, 5 + 2]: cx, cy, w, h, objectness, cat, dog.
        float[] data =
        [
            16, 16, 8, 8, 0.9f, 0.2f, 0.8f,
            40, 40, 8, 8, 0.3f, 0.9f, 0.1f,
        ];
        var spec = new InputSpec { Width = 64, Height = 64 };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov5", spec, [new T("output", data, 1, 2, 7)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(64, 64);

        var detection = Assert.Single(detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f }));

        Assert.Equal("dog", detection.Label);
        Assert.Equal(0.72f, detection.Score, 5);
        Assert.Equal(new BoundingBox(12, 12, 8, 8), detection.Box);
    }

    [Fact]
    public void Ssd_reads_normalised_corners_class_ids_and_num_detections_with_coco91_labels()
    {
        var spec = new InputSpec { Width = 300, Height = 300, Layout = TensorLayout.Nhwc };
        T[] outputs =
        [
            new("detection_boxes", [0.1f, 0.2f, 0.5f, 0.6f, 0.0f, 0.0f, 1.0f, 1.0f, 0.3f, 0.3f, 0.4f, 0.4f], 1, 3, 4),
            new("detection_classes", [18, 1, 3], 1, 3),
            new("detection_scores", [0.95f, 0.6f, 0.99f], 1, 3),
            new("num_detections", [2], 1),
        ];
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "tf-od-api", spec, outputs);
        var card = fixture.Card with { Labels = new LabelsSpec { Source = "builtin:coco91", Count = 91 } };
        using var detector = ObjectDetector.Open(fixture.Model with { Card = card });
        using var image = Blank(600, 300);

        var detections = detector.Detect(image);

        // The third row (0.99) lies beyond num_detections and is ignored.
        Assert.Equal(["dog", "person"], detections.Select(d => d.Label));
        Assert.Equal(18, detections[0].ClassIndex);
        var box = detections[0].Box;
        Assert.Equal(120f, box.X, 3);
        Assert.Equal(30f, box.Y, 3);
        Assert.Equal(240f, box.Width, 3);
        Assert.Equal(120f, box.Height, 3);
    }

    [Fact]
    public void NanoDet_decodes_the_distance_distribution_of_its_level_from_the_cell_centre()
    {
        // 32×32 input, strides 8/16/32 → 16, 4 and 1 cells; 2 classes; 4 sides × 8 bins.
        const int bins = 8;
        var spec = new InputSpec { Width = 32, Height = 32, Layout = TensorLayout.Nhwc };
        var scores8 = new float[16 * 2];
        var reg8 = new float[16 * 4 * bins];
        // Cell (x = 2, y = 1) on the stride-8 level is a dog; its distributions peak at bin 1 (left, top, right) and 2 (bottom).
        var cell = 1 * 4 + 2;
        scores8[cell * 2 + 1] = 0.8f;
        int[] peaks = [1, 1, 1, 2];
        for (var side = 0; side < 4; side++)
        {
            reg8[cell * 4 * bins + side * bins + peaks[side]] = 40f;
        }
        T[] outputs =
        [
            new("cls_8", scores8, 1, 16, 2), new("reg_8", reg8, 1, 16, 4 * bins),
            new("cls_16", new float[4 * 2], 1, 4, 2), new("reg_16", new float[4 * 4 * bins], 1, 4, 4 * bins),
            new("cls_32", [0.1f, 0.3f], 1, 1, 2), new("reg_32", new float[4 * bins], 1, 1, 4 * bins),
        ];
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "nanodet", spec, outputs, TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(32, 32);

        var detection = Assert.Single(detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f }));

        // Centre (2.5·8, 1.5·8) = (20, 12); distances 8, 8, 8, 16.
        Assert.Equal("dog", detection.Label);
        Assert.Equal(12f, detection.Box.X, 3);
        Assert.Equal(4f, detection.Box.Y, 3);
        Assert.Equal(16f, detection.Box.Width, 3);
        Assert.Equal(24f, detection.Box.Height, 3);
    }

    [Fact]
    public void NanoDet_expectation_is_the_mean_bin_under_the_softmax()
    {
        Assert.Equal(1.5f, NanoDetExpectation([0f, 0f, 0f, 0f]), 5);
        Assert.Equal(2f, NanoDetExpectation([float.NegativeInfinity, 3f, float.NegativeInfinity, 3f]), 5);
        Assert.Equal(5f, NanoDetExpectation([0f, 0f, 0f, 0f, 0f, 40f, 0f, 0f]), 5);
    }

    private static float NanoDetExpectation(float[] logits) => NanoDetDecoder.Expectation(logits);

    [Fact]
    public void CenterNet_takes_3x3_peaks_and_applies_size_and_offset_in_heatmap_cells()
    {
        // 32×32 input, 8×8 heads (stride 4), NHWC, 2 classes.
        var spec = new InputSpec { Width = 32, Height = 32, Layout = TensorLayout.Nhwc };
        var heat = new float[8 * 8 * 2];
        var wh = new float[8 * 8 * 2];
        var offset = new float[8 * 8 * 2];
        void Set(float[] a, int y, int x, int c, float v) => a[(y * 8 + x) * 2 + c] = v;
        Set(heat, 2, 3, 1, 0.9f);
        Set(heat, 2, 4, 1, 0.6f);  // beside a higher value of its class: not a peak
        Set(heat, 6, 6, 0, 0.7f);  // a second object
        Set(wh, 2, 3, 0, 2f);
        Set(wh, 2, 3, 1, 4f);
        Set(offset, 2, 3, 0, 0.5f);
        Set(offset, 2, 3, 1, 0.25f);
        Set(wh, 6, 6, 0, 1f);
        Set(wh, 6, 6, 1, 1f);
        T[] outputs = [new("hm", heat, 1, 8, 8, 2), new("wh", wh, 1, 8, 8, 2), new("reg", offset, 1, 8, 8, 2)];
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "centernet", spec, outputs, TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(32, 32);

        var detections = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f });

        Assert.Equal(2, detections.Count);
        // Centre (3.5, 2.25) cells → (14, 9) px; size 2×4 cells → 8×16 px.
        Assert.Equal(("dog", 0.9f), (detections[0].Label, detections[0].Score));
        Assert.Equal(new BoundingBox(10, 1, 8, 16), detections[0].Box);
        Assert.Equal(new BoundingBox(22, 22, 4, 4), detections[1].Box);
    }

    [Fact]
    public void CenterNet_uses_a_decoded_detections_output_when_the_model_has_one()
    {
        var spec = new InputSpec { Width = 64, Height = 64, Layout = TensorLayout.Nhwc };
        float[] rows = [8, 16, 24, 48, 0.8f, 1, 0, 0, 4, 4, 0.1f, 0];
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "centernet", spec,
            [new T("tower_0/detections", rows, 1, 2, 6), new T("tower_0/keypoints", new float[4 * 4 * 2], 1, 4, 4, 2)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(128, 128);

        var detection = Assert.Single(detector.Detect(image));

        Assert.Equal("dog", detection.Label);
        Assert.Equal(new BoundingBox(16, 32, 32, 64), detection.Box);
    }

    [Fact]
    public void A_card_naming_an_unknown_decoder_fails_with_the_known_names()
    {
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov99", new InputSpec { Width = 8, Height = 8 },
            [new T("out", [0f], 1, 1)]);
        var ex = Assert.Throws<ZooException>(() => ObjectDetector.Open(fixture.Model));
        Assert.Equal("decoder-unknown", ex.Code);
        Assert.Contains("yolov8", ex.Message);
        Assert.Throws<ZooUsageException>(() => PoseEstimator.Open(fixture.Model));
    }
}
