using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

public sealed class PoseEstimatorTests
{
    private static InputSpec MoveNetInput(int size) =>
        new() { Width = size, Height = size, Layout = TensorLayout.Nhwc, Resize = ResizeMode.Letterbox, PadValue = 0, Scale = 1 };

    [Fact]
    public void MoveNet_single_pose_maps_normalised_yx_through_the_letterbox_with_an_int32_input()
    {
        // 100×50 image into a 100×100 letterbox: scale 1, 25 rows of padding above.
        var data = new float[17 * 3];
        for (var k = 0; k < 17; k++)
        {
            data[3 * k] = 0.25f + 0.01f * k;   // y
            data[3 * k + 1] = 0.1f * (k % 10); // x
            data[3 * k + 2] = k < 9 ? 0.9f : 0.3f;
        }
        using var fixture = FixedOutputModel.Create(ModelTask.PoseEstimation, "movenet", MoveNetInput(100),
            [new T("Identity:0", data, 1, 1, 17, 3)], inputElement: "int32");
        using var estimator = PoseEstimator.Open(fixture.Model);
        using var image = RgbImage.FromPixels(100, 50, new byte[3 * 100 * 50]);

        var pose = Assert.Single(estimator.Estimate(image));

        Assert.Equal((9 * 0.9f + 8 * 0.3f) / 17, pose.Score, 5);
        Assert.Equal(CocoKeypoints.Names, pose.Keypoints.Select(k => k.Name));
        var leftWrist = pose.Keypoints[9];
        Assert.Equal("left_wrist", leftWrist.Name);
        Assert.Equal(90f, leftWrist.X, 3);
        Assert.Equal(0.25f * 100 + 0.09f * 100 - 25, leftWrist.Y, 3);
        Assert.Equal(0.3f, leftWrist.Score, 5);
        Assert.Null(pose.Box);
        Assert.Empty(estimator.Estimate(image, new PoseOptions { MinScore = 0.7f }));
    }

    [Fact]
    public void MoveNet_multipose_keeps_people_above_the_score_with_their_boxes_best_first()
    {
        var data = new float[6 * 56];
        void Person(int p, float score, float y, float x)
        {
            for (var k = 0; k < 17; k++)
            {
                data[p * 56 + 3 * k] = y;
                data[p * 56 + 3 * k + 1] = x;
                data[p * 56 + 3 * k + 2] = 0.8f;
            }
            data[p * 56 + 51] = y - 0.1f;
            data[p * 56 + 52] = x - 0.1f;
            data[p * 56 + 53] = y + 0.1f;
            data[p * 56 + 54] = x + 0.1f;
            data[p * 56 + 55] = score;
        }
        Person(0, 0.4f, 0.5f, 0.5f);
        Person(1, 0.9f, 0.3f, 0.2f);
        Person(2, 0.05f, 0.7f, 0.7f);
        using var fixture = FixedOutputModel.Create(ModelTask.PoseEstimation, "movenet-multipose", MoveNetInput(200),
            [new T("Identity:0", data, 1, 6, 56)], inputElement: "int32");
        using var estimator = PoseEstimator.Open(fixture.Model);
        using var image = RgbImage.FromPixels(400, 400, new byte[3 * 400 * 400]);

        var poses = estimator.Estimate(image);

        Assert.Equal([0.9f, 0.4f], poses.Select(p => p.Score));
        Assert.Equal(80f, poses[0].Keypoints[0].X, 3);
        Assert.Equal(120f, poses[0].Keypoints[0].Y, 3);
        var box = poses[0].Box!.Value;
        Assert.Equal(40f, box.X, 3);
        Assert.Equal(80f, box.Y, 3);
        Assert.Equal(80f, box.Width, 3);
        Assert.Equal(80f, box.Height, 3);
    }
}
