using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

/// <summary>The BlazePose landmark decoder on a built graph that emits known tensors.</summary>
public sealed class BlazePoseLandmarkDecoderTests
{
    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));

    [Fact]
    public void Landmarks_in_input_pixels_map_through_the_letterbox_COCO_points_first()
    {
        // 39 points of (x, y, z, visibility logit, presence logit); point k at (10 + k, 30 + k) in the 100x100 input.
        var landmarks = new float[39 * 5];
        for (var k = 0; k < 39; k++)
        {
            landmarks[5 * k] = 10 + k;
            landmarks[5 * k + 1] = 30 + k;
            landmarks[5 * k + 2] = -k;
            landmarks[5 * k + 3] = k % 2 == 0 ? 2f : -2f;
            landmarks[5 * k + 4] = 5f;
        }
        var input = new InputSpec { Width = 100, Height = 100, Layout = TensorLayout.Nhwc, Resize = ResizeMode.Letterbox, PadValue = 0, Scale = 1f / 255 };
        using var fixture = FixedOutputModel.Create(ModelTask.PoseEstimation, "blazepose-landmarks", input,
            [new T("Identity", landmarks, 1, 195), new T("Identity_1", [0.9f], 1, 1), new T("Identity_3", new float[4 * 4 * 39], 1, 4, 4, 39)]);
        using var estimator = PoseEstimator.Open(fixture.Model);
        // 100x50 into a 100x100 letterbox: scale 1, 25 rows of padding above.
        using var image = RgbImage.FromPixels(100, 50, new byte[3 * 100 * 50]);

        var pose = Assert.Single(estimator.Estimate(image));

        Assert.Equal(0.9f, pose.Score, 5);
        Assert.Equal(33, pose.Keypoints.Count);
        Assert.Equal(CocoKeypoints.Names, pose.Keypoints.Take(17).Select(k => k.Name));
        var leftWrist = pose.Keypoints[9]; // BlazePose point 15
        Assert.Equal("left_wrist", leftWrist.Name);
        Assert.Equal(25f, leftWrist.X, 3);
        Assert.Equal(30f + 15 - 25, leftWrist.Y, 3);
        Assert.Equal(Sigmoid(-2f), leftWrist.Score, 5);
        var nose = pose.Keypoints[0]; // BlazePose point 0
        Assert.Equal((10f, 5f, Sigmoid(2f)), (nose.X, nose.Y, nose.Score));
        // The other 16 body points follow in BlazePose order, starting with point 1; the 6 auxiliary points are dropped.
        Assert.Equal("left_eye_inner", pose.Keypoints[17].Name);
        Assert.Equal(11f, pose.Keypoints[17].X, 3);
        Assert.Equal("right_foot_index", pose.Keypoints[^1].Name);
        Assert.Equal(10f + 32, pose.Keypoints[^1].X, 3);
        Assert.Empty(estimator.Estimate(image, new PoseOptions { MinScore = 0.95f }));
    }

    [Fact]
    public void Outputs_without_a_landmark_vector_are_a_shape_error_naming_the_decoder()
    {
        var input = new InputSpec { Width = 64, Height = 64, Layout = TensorLayout.Nhwc, Resize = ResizeMode.Stretch, Scale = 1f / 255 };
        using var fixture = FixedOutputModel.Create(ModelTask.PoseEstimation, "blazepose-landmarks", input,
            [new T("Identity", new float[17 * 3], 1, 1, 17, 3)]);
        using var estimator = PoseEstimator.Open(fixture.Model);
        using var image = RgbImage.FromPixels(64, 64, new byte[3 * 64 * 64]);

        var ex = Assert.Throws<ZooException>(() => estimator.Estimate(image));

        Assert.Equal("model-output-shape", ex.Code);
        Assert.Contains("blazepose-landmarks", ex.Message);
    }
}
