using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// The decoders for the ONNX Model Zoo detection and segmentation cards (yolov3-nms, yolov4, boxes-labels-scores,
/// semantic-argmax), fed fixed tensors through real ONNX graphs and mapped back through the card's resize.
/// </summary>
public sealed class OnnxZooDecoderTests
{
    private static readonly string[] TwoClasses = ["cat", "dog"];

    /// <summary>A 64×64 letterboxed NCHW input: a 128×64 image is scaled by 0.5 and padded 16 pixels top and bottom.</summary>
    private static InputSpec Letterbox64 => new() { Width = 64, Height = 64, Resize = ResizeMode.Letterbox };

    private static RgbImage Blank(int width, int height) => RgbImage.FromPixels(width, height, new byte[3 * width * height]);

    private static void AssertBox(BoundingBox expected, BoundingBox actual)
    {
        Assert.Equal(expected.X, actual.X, 3);
        Assert.Equal(expected.Y, actual.Y, 3);
        Assert.Equal(expected.Width, actual.Width, 3);
        Assert.Equal(expected.Height, actual.Height, 3);
    }

    [Fact]
    public void Yolov3_nms_keeps_only_the_selected_triples_and_reads_y_x_corners()
    {
        // Boxes [1, 5, 4] as y1, x1, y2, x2 in input pixels; scores [1, 2 classes, 5]; selected [2, 3] (batch, class, box).
        var boxes = new float[20];
        float[] chosen = [24, 16, 40, 48];
        chosen.CopyTo(boxes, 8);
        float[] scores =
        [
            0.95f, 0.1f, 0.1f, 0.1f, 0.3f, // cat: box 0 scores high but is not selected
            0.1f, 0.1f, 0.8f, 0.1f, 0.1f,  // dog: box 2
        ];
        float[] selected = [0, 1, 2, 0, 0, 4];
        var spec = Letterbox64 with { Name = "input_1" };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov3-nms", spec,
            [new T("yolonms_layer_1/ExpandDims_1:0", boxes, 1, 5, 4), new T("yolonms_layer_1/ExpandDims_3:0", scores, 1, 2, 5),
             new T("yolonms_layer_1/concat_2:0", selected, 2, 3)],
            TwoClasses, extraInputs: [new T("image_shape", [], 1, 2)]);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(128, 64);

        var detection = Assert.Single(detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f }));

        Assert.Equal(("dog", 1, 0.8f), (detection.Label, detection.ClassIndex, detection.Score));
        // Input x 16..48, y 24..40 → source x 32..96, y (24 − 16) × 2 = 16..48.
        Assert.Equal(new BoundingBox(32, 16, 64, 32), detection.Box);
    }

    [Fact]
    public void Image_shape_input_is_fed_the_model_input_height_and_width()
    {
        var spec = new InputSpec { Name = "input_1", Width = 48, Height = 32 };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov3-nms", spec,
            [new T("boxes", new float[4], 1, 1, 4)], extraInputs: [new T("image_shape", [], 1, 2)]);
        using var session = ModelSession.Open(fixture.Model.ModelPath);
        var runner = new ImageModelRunner(session, fixture.Card);
        using var image = Blank(10, 10);

        var outputs = runner.Run(image);

        Assert.Equal([32f, 48f], outputs.Find("image_shape_echo")!.AsFloats());
    }

    [Fact]
    public void A_second_input_the_pipeline_cannot_fill_is_a_clear_error()
    {
        var spec = new InputSpec { Name = "image", Width = 8, Height = 8 };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov3-nms", spec,
            [new T("boxes", new float[4], 1, 1, 4)], extraInputs: [new T("mask", [], 1, 8)]);
        using var session = ModelSession.Open(fixture.Model.ModelPath);

        var error = Assert.Throws<ZooException>(() => new ImageModelRunner(session, fixture.Card));

        Assert.Equal("model-input-extra", error.Code);
        Assert.Contains("mask", error.Message);
    }

    [Fact]
    public void Yolov4_decodes_anchors_strides_and_xy_scale_per_head()
    {
        // 64×64 input: heads of 8, 4 and 2 cells at strides 8, 16, 32; 2 classes, so 7 values per anchor.
        var head0 = new float[8 * 8 * 3 * 7];
        var head1 = new float[4 * 4 * 3 * 7];
        var head2 = new float[2 * 2 * 3 * 7];
        // Head 1, row 2, column 1, anchor 0 (36×75): centre (0.5·1.1 − 0.05 + 1)·16 = 24, (0.5·1.1 − 0.05 + 2)·16 = 40; size 32×16.
        float[] dogRow = [0, 0, MathF.Log(32f / 36f), MathF.Log(16f / 75f), 0.9f, 0.2f, 0.8f];
        dogRow.CopyTo(head1, ((2 * 4 + 1) * 3 + 0) * 7);
        // Head 2, row 0, column 1, anchor 2 (459×401): sigmoid(ln 3) = 0.75, so y = (0.75·1.05 − 0.025)·32 = 24.4; x = 1.5·32 = 48; size 8×8.
        float[] catRow = [0, MathF.Log(3f), MathF.Log(8f / 459f), MathF.Log(8f / 401f), 1f, 0.9f, 0.1f];
        catRow.CopyTo(head2, ((0 * 2 + 1) * 3 + 2) * 7);
        // Below the threshold: objectness 0.4.
        float[] weakRow = [0, 0, 0, 0, 0.4f, 1f, 0f];
        weakRow.CopyTo(head0, 0);
        var spec = Letterbox64 with { Layout = TensorLayout.Nhwc };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov4", spec,
            [new T("Identity:0", head0, 1, 8, 8, 3, 7), new T("Identity_1:0", head1, 1, 4, 4, 3, 7), new T("Identity_2:0", head2, 1, 2, 2, 3, 7)],
            TwoClasses);
        // The built-in card's anchors and XY scales (the zoo's published COCO values).
        var card = fixture.Card with
        {
            Output = fixture.Card.Output! with
            {
                Anchors = [[12, 16, 19, 36, 40, 28], [36, 75, 76, 55, 72, 146], [142, 110, 192, 243, 459, 401]],
                XyScales = [1.2f, 1.1f, 1.05f],
            },
        };
        using var detector = ObjectDetector.Open(fixture.Model with { Card = card });
        using var image = Blank(128, 64);

        var detections = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f });

        Assert.Equal(2, detections.Count);
        Assert.Equal("cat", detections[0].Label);
        Assert.Equal(0.9f, detections[0].Score, 5);
        // Input x 44..52, y 20.4..28.4 → source x 88..104, y 8.8..24.8.
        AssertBox(new BoundingBox(88, 8.8f, 16, 16), detections[0].Box);
        Assert.Equal("dog", detections[1].Label);
        Assert.Equal(0.72f, detections[1].Score, 5);
        // Input x 8..40, y 32..48 → source x 16..80, y 32..64.
        AssertBox(new BoundingBox(16, 32, 64, 32), detections[1].Box);
    }

    [Fact]
    public void Yolov4_with_the_wrong_heads_is_a_shape_error()
    {
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov4", Letterbox64,
            [new T("Identity:0", new float[8 * 8 * 3 * 7], 1, 8, 8, 3, 7)], TwoClasses);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var image = Blank(64, 64);

        var error = Assert.Throws<ZooException>(() => detector.Detect(image));

        Assert.Equal("model-output-shape", error.Code);
    }

    [Fact]
    public void Boxes_labels_scores_reads_faster_rcnn_pixel_corners_on_an_unbatched_input_with_label_offset()
    {
        // Faster R-CNN: image [3, H, W] with no batch; boxes [N, 4] x1, y1, x2, y2 in input pixels; labels [N]; scores [N].
        float[] boxes = [16, 24, 48, 40, 0, 0, 8, 8, 4, 20, 12, 28];
        T[] outputs =
        [
            new("6379", boxes, 3, 4),
            new("6381", [1, 2, 2], 3),
            new("6383", [0.9f, 0.3f, 0.7f], 3),
        ];
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "boxes-labels-scores", Letterbox64, outputs, TwoClasses, unbatched: true);
        var card = fixture.Card with { Labels = fixture.Card.Labels! with { Offset = 1, Count = 3 } };
        using var detector = ObjectDetector.Open(fixture.Model with { Card = card });
        using var image = Blank(128, 64);

        var detections = detector.Detect(image, new DetectionOptions { ScoreThreshold = 0.5f });

        Assert.Equal(2, detections.Count);
        Assert.Equal(("cat", 1, 0.9f), (detections[0].Label, detections[0].ClassIndex, detections[0].Score));
        Assert.Equal(new BoundingBox(32, 16, 64, 32), detections[0].Box);
        Assert.Equal(("dog", 2, 0.7f), (detections[1].Label, detections[1].ClassIndex, detections[1].Score));
        Assert.Equal(new BoundingBox(8, 8, 16, 16), detections[1].Box);
    }

    [Fact]
    public void Boxes_labels_scores_takes_normalised_corners_as_fractions_of_the_input()
    {
        // MLPerf SSD-ResNet34 style: bboxes [1, N, 4] within 0–1, labels [1, N], scores [1, N].
        T[] outputs =
        [
            new("bboxes", [0.25f, 0.5f, 0.5f, 0.75f], 1, 1, 4),
            new("labels", [2], 1, 1),
            new("scores", [0.8f], 1, 1),
        ];
        var spec = new InputSpec { Width = 64, Height = 64 };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "boxes-labels-scores", spec, outputs, TwoClasses);
        var card = fixture.Card with { Labels = fixture.Card.Labels! with { Offset = 1, Count = 3 } };
        using var detector = ObjectDetector.Open(fixture.Model with { Card = card });
        using var image = Blank(128, 64);

        var detection = Assert.Single(detector.Detect(image));

        Assert.Equal("dog", detection.Label);
        // Input x 16..32, y 32..48 → stretched source x 32..64, y 32..48.
        Assert.Equal(new BoundingBox(32, 32, 32, 16), detection.Box);
    }

    [Fact]
    public void Semantic_argmax_yields_one_mask_per_present_class_without_background()
    {
        // [1, 3 classes, 4, 4]: background wins the left half, dog (class 2) the right half, cat (class 1) nowhere.
        var logits = new float[3 * 16];
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                var p = y * 4 + x;
                logits[p] = x < 2 ? 5f : 0f;
                logits[16 + p] = 1f;
                logits[32 + p] = x < 2 ? 0f : 5f;
            }
        }
        var spec = new InputSpec { Width = 4, Height = 4 };
        using var fixture = FixedOutputModel.Create(ModelTask.ImageSegmentation, "semantic-argmax", spec, [new T("out", logits, 1, 3, 4, 4)],
            TwoClasses, OutputKind.Logits);
        var card = fixture.Card with { Labels = fixture.Card.Labels! with { Offset = 1, Count = 3 } };
        using var segmenter = Segmenter.Open(fixture.Model with { Card = card });
        using var image = Blank(8, 8);

        var mask = Assert.Single(segmenter.Segment(image));

        Assert.Equal("dog", mask.Label);
        Assert.Equal((8, 8), (mask.Width, mask.Height));
        Assert.Equal(0.5f, mask.Coverage, 5);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                Assert.Equal(x >= 4 ? 255 : 0, mask.Alpha[y * 8 + x]);
            }
        }
    }
}
