using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

public sealed class FaceDetectorTests
{
    private static InputSpec BlazeFaceInput => new()
    {
        Name = "input:0", Width = 128, Height = 128, Layout = TensorLayout.Nhwc, Resize = ResizeMode.Letterbox, PadValue = 0,
        Scale = 1f / 127.5f, Mean = [1f, 1f, 1f],
    };

    /// <summary>The keijiro BlazeFace outputs (scores and regressors for the 16×16×2 and 8×8×6 levels) with one face on the coarse level.</summary>
    private static T[] BlazeFaceOutputs(float logit)
    {
        var scores512 = Enumerable.Repeat(-10f, 512).ToArray();
        var scores384 = Enumerable.Repeat(-10f, 384).ToArray();
        var boxes384 = new float[384 * 16];
        // Cell (x = 3, y = 5), second anchor: anchor centre (3.5/8·128, 5.5/8·128) = (56, 88).
        var anchor = (5 * 8 + 3) * 6 + 1;
        scores384[anchor] = logit;
        float[] regressor = [4, -16, 32, 40, -8, -6, 8, -6, 0, 0, 0, 4, -14, 0, 14, 0];
        regressor.CopyTo(boxes384, anchor * 16);
        return
        [
            new("Identity:0", scores512, 1, 512, 1), new("Identity_1:0", scores384, 1, 384, 1),
            new("Identity_2:0", new float[512 * 16], 1, 512, 16), new("Identity_3:0", boxes384, 1, 384, 16),
        ];
    }

    [Fact]
    public void BlazeFace_decodes_anchor_relative_pixels_on_its_level_and_maps_through_the_letterbox()
    {
        using var fixture = FixedOutputModel.Create(ModelTask.FaceDetection, "blazeface", BlazeFaceInput, BlazeFaceOutputs(3f));
        using var detector = FaceDetector.Open(fixture.Model);
        // 256×128 → scale 0.5 into 128×64, 32 rows of padding above.
        using var image = RgbImage.FromPixels(256, 128, new byte[3 * 256 * 128]);

        var face = Assert.Single(detector.Detect(image));

        Assert.Equal(1f / (1f + MathF.Exp(-3f)), face.Score, 5);
        // Input box centre (60, 72), 32×40 → corners (44, 52)–(76, 92) → source (88, 40)–(152, 120).
        Assert.Equal(new BoundingBox(88, 40, 64, 80), face.Box);
        Assert.Equal(["right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion"], face.Landmarks.Select(l => l.Name));
        Assert.Equal(new FaceLandmark("right_eye", 96, 100), face.Landmarks[0]);
        Assert.Equal(new FaceLandmark("mouth_center", 112, 120), face.Landmarks[3]);
        Assert.Null(face.Age);
        Assert.Empty(detector.Detect(image, new FaceOptions { ScoreThreshold = 0.99f }));
    }

    [Fact]
    public void BlazeFace_anchor_layouts_follow_the_anchor_count()
    {
        Assert.Equal([(16, 2)], BlazeFaceDecoder.LevelsOf(512)!);
        Assert.Equal([(8, 6)], BlazeFaceDecoder.LevelsOf(384)!);
        Assert.Equal([(16, 2), (8, 6)], BlazeFaceDecoder.LevelsOf(896)!);
        Assert.Equal([(48, 1)], BlazeFaceDecoder.LevelsOf(2304)!);
        Assert.Null(BlazeFaceDecoder.LevelsOf(1000)!);
    }

    [Fact]
    public void Weighted_suppression_blends_overlapping_faces_by_score_and_keeps_the_best_score()
    {
        string[] names = ["p"];
        List<FaceCandidate> candidates =
        [
            new(0, 0, 10, 10, 0.6f, [5, 5], names),
            new(2, 0, 12, 10, 0.3f, [8, 5], names),
            new(50, 50, 60, 60, 0.9f, [55, 55], names),
        ];

        var weighted = FaceSuppression.Apply(candidates, 0.3f, 10, weighted: true);
        var plain = FaceSuppression.Apply(candidates, 0.3f, 10, weighted: false);

        Assert.Equal(2, weighted.Count);
        Assert.Equal(0.6f, weighted[1].Score);
        Assert.Equal((0 * 0.6f + 2 * 0.3f) / 0.9f, weighted[1].X1, 5);
        Assert.Equal((5 * 0.6f + 8 * 0.3f) / 0.9f, weighted[1].Landmarks[0], 5);
        Assert.Equal(0f, plain[1].X1);
    }

    [Fact]
    public void Face_attributes_models_run_on_the_face_crop_and_fill_age_gender_and_emotion()
    {
        var cropSpec = new InputSpec { Width = 32, Height = 32, Layout = TensorLayout.Nhwc };
        float[] ageBins = [0, 0, 0.5f, 0.5f, 0, 0, 0];
        using var gear = FixedOutputModel.Create(ModelTask.FaceAttributes, "gear", cropSpec,
            [new T("Identity:0", ageBins, 1, 7), new T("Identity_1:0", [0.2f, 0.8f], 1, 2), new T("Identity_2:0", new float[5], 1, 5)]);
        var emotionSpec = cropSpec with { ColorOrder = ColorOrder.Gray, Mean = [0f], Std = [1f] };
        using var emotion = FixedOutputModel.Create(ModelTask.FaceAttributes, "emotion", emotionSpec,
            [new T("Identity", [0.05f, 0, 0, 0.8f, 0.05f, 0.05f, 0.05f], 1, 7)],
            ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]);
        using var age = FixedOutputModel.Create(ModelTask.FaceAttributes, "ssrnet-age", cropSpec, [new T("Identity", [41.5f], 1, 1)]);
        using var attributes = FaceAttributes.Open([gear.Model, emotion.Model]);
        using var image = RgbImage.FromPixels(100, 100, new byte[3 * 100 * 100]);
        var face = new Face { Score = 0.9f, Box = new BoundingBox(80, 80, 30, 30) };

        var result = attributes.Apply(image, face);

        Assert.Equal((28f + 35.5f) / 2, result.Age!.Value, 4);
        Assert.Equal(("female", 0.8f), (result.Gender, result.GenderScore!.Value));
        Assert.Equal("happy", result.Emotion);
        Assert.Equal(0.8f, result.EmotionScores!["happy"]);
        Assert.Equal(face.Box, result.Box);

        using var ssr = FaceAttributes.Open([gear.Model, age.Model]);
        Assert.Equal(41.5f, ssr.Apply(image, face).Age);
    }

    [Fact]
    public void Face_crop_is_a_square_around_the_box_padded_with_black_outside_the_image()
    {
        var pixels = Enumerable.Repeat((byte)200, 3 * 20 * 10).ToArray();
        using var image = RgbImage.FromPixels(20, 10, pixels);

        using var crop = FaceCrop.Square(image, new BoundingBox(14, 2, 8, 4), margin: 0.5f);

        // Longer side 8 × 1.5 = 12, centred on (18, 4): columns 12..23, rows -2..9.
        Assert.Equal((12, 12), (crop.Width, crop.Height));
        Assert.Equal((byte)200, crop.GetPixel(0, 2).R);
        Assert.Equal((byte)0, crop.GetPixel(0, 0).R);
        Assert.Equal((byte)0, crop.GetPixel(11, 5).R);
        Assert.Equal((byte)200, crop.GetPixel(7, 11).R);
    }

    [Fact]
    public void UltraFace_reads_face_probabilities_and_normalised_corners()
    {
        var spec = new InputSpec { Width = 320, Height = 240, Mean = [127f, 127f, 127f], Std = [128f, 128f, 128f], Scale = 1f };
        T[] outputs =
        [
            new("scores", [0.9f, 0.1f, 0.05f, 0.95f, 0.04f, 0.96f], 1, 3, 2),
            new("boxes", [0, 0, 0.1f, 0.1f, 0.25f, 0.25f, 0.5f, 0.75f, 0.26f, 0.25f, 0.5f, 0.75f], 1, 3, 4),
        ];
        using var fixture = FixedOutputModel.Create(ModelTask.FaceDetection, "ultraface", spec, outputs);
        using var detector = FaceDetector.Open(fixture.Model);
        using var image = RgbImage.FromPixels(640, 480, new byte[3 * 640 * 480]);

        var face = Assert.Single(detector.Detect(image, new FaceOptions { WeightedSuppression = false }));

        Assert.Equal(0.96f, face.Score);
        Assert.Equal(166.4f, face.Box.X, 3);
        Assert.Equal(120f, face.Box.Y, 3);
        Assert.Equal(153.6f, face.Box.Width, 3);
        Assert.Equal(240f, face.Box.Height, 3);
        Assert.Empty(face.Landmarks);
    }
}
