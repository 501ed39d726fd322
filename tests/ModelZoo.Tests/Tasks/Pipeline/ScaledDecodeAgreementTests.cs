using System.Numerics.Tensors;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks.Pipeline;

/// <summary>
/// <see cref="ImageTaskOptions.ScaledDecode"/> (on by default): the file loop decodes a JPEG by the codec's own scaling
/// when the model input is much smaller. On every JPEG photo of the test data, results through the file loop agree with
/// the same pipeline run on the full-size decode, and are in the file's pixels.
/// </summary>
public sealed class ScaledDecodeAgreementTests(HumanVisionModels models, ITestOutputHelper log) : IClassFixture<HumanVisionModels>
{
    /// <summary>Every JPEG photo in the fetched test data (PNG files have no codec scaling and decode as before).</summary>
    private static readonly string[] Photos =
    [
        "darknet/dog.jpg", "darknet/eagle.jpg", "darknet/giraffe.jpg", "darknet/horses.jpg", "darknet/kite.jpg",
        "darknet/person.jpg", "darknet/scream.jpg", "skimage/rocket.jpg", "skimage/hubble_deep_field.jpg", "skimage/retina.jpg",
    ];

    private static readonly string[] People = ["darknet/person.jpg", "darknet/kite.jpg", "darknet/scream.jpg"];

    [Theory]
    [InlineData("coco/nanodet/detection")]
    [InlineData("coco/centernet/detection")]
    public void Detections_from_a_scaled_decode_match_the_full_decode(string handle)
    {
        var detector = models.Detector(handle);
        var (matched, full, scaled, iou) = (0, 0, 0, 0.0);
        foreach (var (photo, outcome) in Files(detector, Photos))
        {
            var reference = detector.Detect(FullSize(photo, outcome));
            var found = outcome.Value!;
            full += reference.Count;
            scaled += found.Count;
            var unused = found.ToList();
            foreach (var r in reference)
            {
                var best = unused.Where(d => d.Label == r.Label).MaxBy(d => d.Box.IntersectionOverUnion(r.Box));
                if (best is not null && best.Box.IntersectionOverUnion(r.Box) >= 0.5f)
                {
                    matched++;
                    iou += best.Box.IntersectionOverUnion(r.Box);
                    unused.Remove(best);
                }
            }
        }
        var f1 = 2.0 * matched / (full + scaled);
        log.WriteLine($"{handle}: {full} detections at full size, {scaled} scaled, {matched} matched, F1 {f1:0.000}, mean IoU {iou / matched:0.000}");
        Assert.True(full >= 20, $"only {full} detections at full size; the photos should give more");
        Assert.True(f1 >= 0.9, $"F1 {f1:0.000} between the scaled and the full decode");
        Assert.True(iou / matched >= 0.9, $"mean IoU {iou / matched:0.000} of matched boxes");
    }

    [Fact]
    public void Keypoints_from_a_scaled_decode_match_the_full_decode()
    {
        var pose = models.Pose("body/movenet/lightning");
        var distances = new List<double>();
        foreach (var (photo, outcome) in Files(pose, People))
        {
            var image = FullSize(photo, outcome);
            var diagonal = Math.Sqrt((double)image.Width * image.Width + (double)image.Height * image.Height);
            var reference = pose.Estimate(image);
            log.WriteLine($"{photo}: {reference.Count} pose(s) at full size, {outcome.Value!.Count} scaled");
            Assert.Equal(reference.Count, outcome.Value!.Count);
            foreach (var (r, found) in reference.Zip(outcome.Value!))
            {
                distances.AddRange(r.Keypoints.Zip(found.Keypoints,
                    (a, b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y)) / diagonal));
            }
        }
        Assert.True(distances.Count >= 17, "no pose found in the pictures of people");
        var within = distances.Count(d => d <= 0.02) / (double)distances.Count;
        log.WriteLine($"movenet: {within:P1} of {distances.Count} keypoints within 2 % of the diagonal, median {Median(distances):P2}");
        Assert.True(within >= 0.9, $"{within:P1} of keypoints within 2 % of the diagonal");
    }

    [Fact]
    public void A_person_mask_from_a_scaled_decode_is_full_size_and_matches_the_full_decode()
    {
        var segmenter = models.Segmenter("segmentation/selfie/mask");
        foreach (var (photo, outcome) in Files(segmenter, People))
        {
            var image = FullSize(photo, outcome);
            var reference = Assert.Single(segmenter.Segment(image));
            var mask = Assert.Single(outcome.Value!);
            Assert.Equal((image.Width, image.Height), (mask.Width, mask.Height));
            var (both, either) = (0, 0);
            for (var i = 0; i < mask.Alpha.Length; i++)
            {
                bool a = reference.Alpha[i] >= 128, b = mask.Alpha[i] >= 128;
                both += a && b ? 1 : 0;
                either += a || b ? 1 : 0;
            }
            var iou = either == 0 ? 1.0 : (double)both / either;
            log.WriteLine($"{photo}: mask IoU {iou:0.000}, coverage {reference.Coverage:0.000} full, {mask.Coverage:0.000} scaled");
            Assert.True(iou >= 0.9, $"{photo}: mask IoU {iou:0.000}");
        }
    }

    [Fact]
    public void Feature_vectors_from_a_scaled_decode_point_the_same_way_as_the_full_decode()
    {
        using var extractor = FeatureExtractor.Open(HumanVisionModels.Pull("imagenet/resnet18/feature_vector"));
        var cosines = Files(extractor, Photos).Select(p => (double)TensorPrimitives.CosineSimilarity(extractor.Extract(FullSize(p.Photo, p.Outcome)), p.Outcome.Value!)).ToList();
        log.WriteLine($"resnet18 features: cosine to the full decode mean {cosines.Average():0.0000}, min {cosines.Min():0.0000}");
        Assert.True(cosines.Min() >= 0.97, $"lowest cosine {cosines.Min():0.0000}");
    }

    [Fact]
    public void A_caller_that_takes_the_image_gets_it_at_full_size()
    {
        var detector = models.Detector("coco/nanodet/detection");
        var path = TestAssets.Image("darknet/dog.jpg");
        var sizes = detector.RunFilesAsync([path], new DetectionOptions(), (_, image, _) => (image.Width, image.Height)).ToBlockingEnumerable().Single();
        Assert.Equal((768, 576), sizes.Value);
        var plain = detector.RunFilesAsync([path], new DetectionOptions()).ToBlockingEnumerable().Single();
        Assert.Equal((768, 576), (plain.Width, plain.Height));
        Assert.Equal((768, 576), (plain.Transform.SourceWidth, plain.Transform.SourceHeight));
    }

    private static List<(string Photo, ImageOutcome<T> Outcome)> Files<T, TOptions>(ImagePipeline<T, TOptions> pipeline, string[] photos)
        where TOptions : class, new() =>
        pipeline.RunFilesAsync(photos.Select(TestAssets.Image).ToList(), new TOptions()).ToBlockingEnumerable()
            .Select((outcome, i) =>
            {
                Assert.True(outcome.Succeeded, outcome.Error?.Message);
                return (photos[i], outcome);
            }).ToList();

    /// <summary>The photo decoded at full size; the outcome must give the same size (results are in its pixels).</summary>
    private RgbImage FullSize<T>(string photo, ImageOutcome<T> outcome)
    {
        var image = models.Image(photo);
        Assert.Equal((image.Width, image.Height), (outcome.Width, outcome.Height));
        return image;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
