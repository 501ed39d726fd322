using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks.Pipeline;

/// <summary>The image-pipeline template on a built graph: the file loop, per-image options in a batch, stage timings.</summary>
public sealed class ImagePipelineTests
{
    private static readonly InputSpec Spec = new() { Width = 300, Height = 300, Layout = TensorLayout.Nhwc };

    private static readonly T[] Outputs =
    [
        new("detection_boxes", [0.1f, 0.2f, 0.5f, 0.6f, 0.0f, 0.0f, 1.0f, 1.0f], 1, 2, 4),
        new("detection_classes", [18, 1], 1, 2),
        new("detection_scores", [0.95f, 0.6f], 1, 2),
    ];

    [Fact]
    public async Task Files_come_out_in_order_unreadable_ones_as_errors_and_every_stage_is_timed()
    {
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "tf-od-api", Spec, Outputs);
        using var detector = ObjectDetector.Open(fixture.Model);
        var folder = Path.Combine(Path.GetTempPath(), "zoo-pipeline-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var good = Path.Combine(folder, "good.png");
            using (var image = RgbImage.FromPixels(64, 32, new byte[3 * 64 * 32]))
            {
                Annotator.SavePng(image, new Annotations(), good);
            }
            var corrupt = Path.Combine(folder, "corrupt.jpg");
            await File.WriteAllTextAsync(corrupt, "not an image");
            var missing = Path.Combine(folder, "missing.png");

            var outcomes = new List<ImageOutcome<IReadOnlyList<Detection>>>();
            await foreach (var outcome in detector.RunFilesAsync([good, corrupt, missing, good], new DetectionOptions()))
            {
                outcomes.Add(outcome);
            }

            Assert.Equal([good, corrupt, missing, good], outcomes.Select(o => o.Path));
            Assert.Equal([true, false, false, true], outcomes.Select(o => o.Succeeded));
            Assert.Equal(2, outcomes[0].Value!.Count);
            Assert.Equal((64, 32), (outcomes[3].Width, outcomes[3].Height));
            var timings = detector.Timings;
            Assert.Equal(2, timings.Images);
            Assert.True(timings.Decode > TimeSpan.Zero && timings.Preprocess > TimeSpan.Zero, $"decode {timings.Decode}, preprocess {timings.Preprocess}");
            Assert.True(timings.Inference > TimeSpan.Zero && timings.Postprocess > TimeSpan.Zero, $"inference {timings.Inference}, postprocess {timings.Postprocess}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_batch_applies_each_images_own_options_and_refuses_a_length_mismatch()
    {
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "tf-od-api", Spec, Outputs);
        using var detector = ObjectDetector.Open(fixture.Model);
        using var a = RgbImage.FromPixels(60, 30, new byte[3 * 60 * 30]);
        using var b = RgbImage.FromPixels(60, 30, new byte[3 * 60 * 30]);

        var results = detector.Run([a, b], [new DetectionOptions { ScoreThreshold = 0.5f }, new DetectionOptions { ScoreThreshold = 0.9f }]);

        Assert.Equal([2, 1], results.Select(r => r.Count));
        Assert.Equal(2, detector.Timings.Images);
        Assert.Throws<ArgumentException>(() => detector.Run([a, b], [new DetectionOptions()]));
        Assert.Throws<ZooUsageException>(() => detector.Run(a, new DetectionOptions { ScoreThreshold = 2f }));
    }
}
