using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// The MediaPipe TFLite cards, pulled from the configured npm registry and imported by the TFLite importer, through the
/// face, segmentation and pose pipelines on real photos; each compared in the same run with a peer: the same network
/// published in another format (BlazeFace as ONNX, selfie segmentation as TFJS) or another model of the task (MoveNet).
/// </summary>
public sealed class MediaPipeTfliteRealModelTests(ITestOutputHelper log)
{
    /// <summary>The astronaut's face in skimage's astronaut.png (512×512): hairline to chin, ear to ear.</summary>
    private static readonly BoundingBox AstronautFace = new(170, 60, 110, 130);

    /// <summary>The cameraman's face in skimage's camera.png (512×512, in profile): hairline to chin, ear to nose tip.</summary>
    private static readonly BoundingBox CameramanFace = new(178, 105, 80, 95);

    private static async Task<LocalModel> PullAsync(string handle)
    {
        var settings = SharedStore.Settings;
        var card = ModelCatalog.Load(settings).Get(handle);
        using var store = new ModelStore(settings);
        return await store.OpenAsync(card);
    }

    [Theory]
    [InlineData("face/mediapipe/short_range")]
    [InlineData("face/mediapipe/full_range")]
    [InlineData("face/mediapipe/full_range_sparse")]
    public async Task MediaPipe_face_detection_finds_the_face_on_camera_and_astronaut_and_none_on_the_cat(string handle)
    {
        using var detector = FaceDetector.Open(await PullAsync(handle));
        foreach (var (file, face) in new[] { ("skimage/astronaut.png", AstronautFace), ("skimage/camera.png", CameramanFace) })
        {
            using var image = ImageDecoder.Decode(TestAssets.Image(file));

            var found = Assert.Single(detector.Detect(image));

            log.WriteLine($"{handle} {file}: {found.Score:F3} {found.Box} IoU {found.Box.IntersectionOverUnion(face):F2}");
            Assert.True(found.Score > 0.6f, $"{file}: score {found.Score}");
            Assert.True(found.Box.IntersectionOverUnion(face) > 0.35f, $"{file}: box {found.Box} vs {face}");
            Assert.Equal(6, found.Landmarks.Count);
            Assert.True(found.Landmarks[3].Y > found.Landmarks[2].Y - 2, $"{file}: mouth below the nose");
        }
        using var cat = ImageDecoder.Decode(TestAssets.Image("skimage/chelsea.png"));
        Assert.Empty(detector.Detect(cat));
    }

    [Fact]
    public async Task Short_range_TFLite_matches_the_same_network_published_as_ONNX()
    {
        using var tflite = FaceDetector.Open(await PullAsync("face/mediapipe/short_range"));
        using var onnx = FaceDetector.Open(await PullAsync("face/blazeface/front_128"));
        foreach (var file in new[] { "skimage/astronaut.png", "skimage/camera.png" })
        {
            using var image = ImageDecoder.Decode(TestAssets.Image(file));

            var a = Assert.Single(tflite.Detect(image));
            var b = Assert.Single(onnx.Detect(image));

            log.WriteLine($"{file}: TFLite {a.Score:F4} {a.Box}, ONNX {b.Score:F4} {b.Box}");
            // The same weights through two converters: equal to float rounding, not merely close.
            Assert.True(a.Box.IntersectionOverUnion(b.Box) > 0.999f, $"{file}: {a.Box} vs {b.Box}");
            Assert.True(Math.Abs(a.Score - b.Score) < 1e-4f, $"{file}: scores {a.Score} vs {b.Score}");
            for (var i = 0; i < a.Landmarks.Count; i++)
            {
                Assert.True(MathF.Abs(a.Landmarks[i].X - b.Landmarks[i].X) < 0.05f && MathF.Abs(a.Landmarks[i].Y - b.Landmarks[i].Y) < 0.05f,
                    $"{file}: landmark {i} {a.Landmarks[i]} vs {b.Landmarks[i]}");
            }
        }
    }

    [Fact]
    public async Task Selfie_segmentation_TFLite_matches_the_TFJS_conversion_of_the_same_model()
    {
        using var tflite = Segmenter.Open(await PullAsync("segmentation/mediapipe_selfie/general"));
        using var tfjs = Segmenter.Open(await PullAsync("segmentation/selfie/mask"));
        using var image = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));

        var a = Assert.Single(tflite.Segment(image));
        var b = Assert.Single(tfjs.Segment(image));

        var meanDifference = a.Alpha.Zip(b.Alpha, (x, y) => Math.Abs(x - y)).Average() / 255.0;
        log.WriteLine($"coverage TFLite {a.Coverage:P2}, TFJS {b.Coverage:P2}; mean |difference| {meanDifference:F4}");
        Assert.Equal((image.Width, image.Height), (a.Width, a.Height));
        Assert.InRange(a.Coverage, 0.3f, 0.8f);
        Assert.True(Math.Abs(a.Coverage - b.Coverage) < 0.01f, $"coverage {a.Coverage} vs {b.Coverage}");
        Assert.True(meanDifference < 0.002, $"mean difference {meanDifference}");
        // The astronaut fills the centre; the flag and the sky of the top-right corner are background.
        Assert.True(a.Alpha[(image.Height / 2) * image.Width + image.Width / 2] > 200, "the centre is person");
        Assert.True(a.Alpha[20 * image.Width + image.Width - 20] < 50, "the top-right corner is background");
    }

    [Fact]
    public async Task Landscape_selfie_segmentation_puts_the_person_of_the_darknet_photo_in_the_mask()
    {
        using var segmenter = Segmenter.Open(await PullAsync("segmentation/mediapipe_selfie/landscape"));
        using var person = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));
        using var camera = ImageDecoder.Decode(TestAssets.Image("skimage/camera.png"));

        var a = Assert.Single(segmenter.Segment(person));
        var c = Assert.Single(segmenter.Segment(camera));

        log.WriteLine($"astronaut {a.Coverage:P1}, cameraman {c.Coverage:P1}");
        Assert.InRange(a.Coverage, 0.3f, 0.8f);
        Assert.InRange(c.Coverage, 0.15f, 0.6f);
        // The cameraman's coat at the lower left is person, the sky at the top right is not.
        Assert.True(c.Alpha[400 * camera.Width + 60] > 128, "the coat is person");
        Assert.True(c.Alpha[30 * camera.Width + 480] < 64, "the sky is background");
    }

    /// <summary>
    /// MediaPipe feeds the landmark model a rotated crop around the person found by its pose detector; the card
    /// letterboxes the whole photo instead, so the head points (large in this half-body portrait) are held to the peers,
    /// and the body points only to their order.
    /// </summary>
    [Fact]
    public async Task BlazePose_landmarks_put_33_points_on_the_astronaut_consistent_with_MoveNet_and_the_face_detector()
    {
        using var blazePose = PoseEstimator.Open(await PullAsync("body/blazepose/landmark_lite"));
        using var moveNet = PoseEstimator.Open(await PullAsync("body/movenet/lightning"));
        using var faces = FaceDetector.Open(await PullAsync("face/mediapipe/short_range"));
        using var image = ImageDecoder.Decode(TestAssets.Image("skimage/astronaut.png"));

        var pose = Assert.Single(blazePose.Estimate(image));
        var peer = Assert.Single(moveNet.Estimate(image));
        var face = Assert.Single(faces.Detect(image));

        Assert.Equal(33, pose.Keypoints.Count);
        Assert.Equal(CocoKeypoints.Names, pose.Keypoints.Take(17).Select(k => k.Name));
        Assert.Equal(33, pose.Keypoints.Select(k => k.Name).Distinct().Count());
        Assert.True(pose.Score > 0.5f, $"pose presence {pose.Score}");
        var point = pose.Keypoints.ToDictionary(k => k.Name);
        foreach (var name in new[] { "nose", "left_eye", "right_eye", "left_ear", "right_ear" })
        {
            var a = point[name];
            var b = peer.Keypoints.Single(k => k.Name == name);
            var distance = MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
            log.WriteLine($"{name}: BlazePose ({a.X:F0},{a.Y:F0}) {a.Score:F2}, MoveNet ({b.X:F0},{b.Y:F0}) {b.Score:F2}, {distance:F1} px");
            Assert.True(distance < 30f, $"{name}: {distance:F1} px from MoveNet's");
        }
        // The face detector's eyes (subject's right eye first) agree with BlazePose's.
        Assert.True(Distance(point["right_eye"], face.Landmarks[0].X, face.Landmarks[0].Y) < 15f, "right eye");
        Assert.True(Distance(point["left_eye"], face.Landmarks[1].X, face.Landmarks[1].Y) < 15f, "left eye");
        Assert.True(point["left_shoulder"].Y > face.Box.Bottom - 10 && point["right_shoulder"].Y > face.Box.Bottom - 10, "shoulders below the face");
        Assert.True(point["right_shoulder"].X < point["left_shoulder"].X, "the subject's right shoulder is on the image's left");
        Assert.True(point["left_hip"].Y > point["left_shoulder"].Y && point["right_hip"].Y > point["right_shoulder"].Y, "hips below the shoulders");
    }

    private static float Distance(Keypoint k, float x, float y) => MathF.Sqrt((k.X - x) * (k.X - x) + (k.Y - y) * (k.Y - y));
}
