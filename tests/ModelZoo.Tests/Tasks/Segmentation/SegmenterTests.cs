using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using SkiaSharp;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Tests.Tasks;

public sealed class SegmenterTests
{
    [Fact]
    public void Selfie_mask_is_resampled_onto_the_original_image_without_the_letterbox_padding()
    {
        // 16×16 letterboxed input; the model says "person" on the left half of the input and nowhere else.
        var spec = new InputSpec { Width = 16, Height = 16, Layout = TensorLayout.Nhwc, Resize = ResizeMode.Letterbox };
        var probabilities = new float[16 * 16];
        for (var y = 0; y < 16; y++)
        for (var x = 0; x < 8; x++)
        {
            probabilities[y * 16 + x] = 0.9f;
        }
        using var fixture = FixedOutputModel.Create(ModelTask.ImageSegmentation, "selfie", spec, [new T("activation_10:0", probabilities, 1, 16, 16, 1)]);
        using var segmenter = Segmenter.Open(fixture.Model);
        // 64×32: scaled by 0.25 to 16×8, padded 4 rows above and below.
        using var image = RgbImage.FromPixels(64, 32, new byte[3 * 64 * 32]);

        var mask = Assert.Single(segmenter.Segment(image));

        Assert.Equal(("person", 64, 32), (mask.Label, mask.Width, mask.Height));
        Assert.Equal(255, mask.Alpha[0]);
        Assert.Equal(255, mask.Alpha[31 * 64 + 27]);
        Assert.Equal(0, mask.Alpha[31 * 64 + 36]);
        Assert.Equal(0, mask.Alpha[63]);
        Assert.Equal(0.5f, mask.Coverage, 2);

        using var decoded = SKBitmap.Decode(mask.EncodePng());
        Assert.Equal((64, 32), (decoded.Width, decoded.Height));
        Assert.Equal(255, decoded.GetPixel(0, 0).Red);
        Assert.Equal(0, decoded.GetPixel(63, 0).Red);
    }

    [Fact]
    public void Meet_two_channel_scores_are_softmaxed_into_person_probability()
    {
        var spec = new InputSpec { Width = 4, Height = 2, Layout = TensorLayout.Nhwc };
        // (background, person) logits: person wins on the right two columns.
        float[] scores = [2, -2, 2, -2, -1, 3, -1, 3, 2, -2, 2, -2, -1, 3, -1, 3];
        using var fixture = FixedOutputModel.Create(ModelTask.ImageSegmentation, "meet", spec, [new T("segment:0", scores, 1, 2, 4, 2)]);
        using var segmenter = Segmenter.Open(fixture.Model);
        using var image = RgbImage.FromPixels(4, 2, new byte[3 * 4 * 2]);

        var mask = Assert.Single(segmenter.Segment(image, new SegmentationOptions { SoftEdges = true }));

        Assert.Equal(0.5f, mask.Coverage, 3);
        Assert.Equal((byte)MathF.Round(255f / (1f + MathF.Exp(-4f))), mask.Alpha[3]);
        Assert.Equal((byte)MathF.Round(255f / (1f + MathF.Exp(4f))), mask.Alpha[0]);
    }
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mask_is_the_bilinear_blend_of_the_four_grid_values_at_every_pixel(bool soft)
    {
        // A random 24×14 grid over a 48×28 letterboxed input, upsampled onto a 101×67 image (scale and padding chosen so
        // the grid rows an image row sits between change at uneven steps); the reference blends the four values in place.
        var map = new ProbabilityMap("person", 24, 14, Enumerable.Range(0, 24 * 14).Select(i => (float)new Random(i).NextDouble()).ToArray());
        var transform = new ImageTransform(48f / 101, 48f / 101, 0, 0.6f, 101, 67);
        var options = new SegmentationOptions { SoftEdges = soft, Threshold = 0.4f };

        var mask = Segmenter.ToMask(map, transform, 48, 28, options);

        var covered = 0;
        for (var y = 0; y < 67; y++)
        for (var x = 0; x < 101; x++)
        {
            var (ix, iy) = transform.MapToInput(x + 0.5f, y + 0.5f);
            var (x0, x1, fx) = Cell(ix * (24f / 48) - 0.5f, 24);
            var (y0, y1, fy) = Cell(iy * (14f / 28) - 0.5f, 14);
            var v = map.Values;
            var t = v[y0 * 24 + x0] * (1 - fx) + v[y0 * 24 + x1] * fx;
            var b = v[y1 * 24 + x0] * (1 - fx) + v[y1 * 24 + x1] * fx;
            var p = t * (1 - fy) + b * fy;
            if (p >= 0.4f) covered++;
            var expected = soft ? (byte)Math.Clamp(MathF.Round(p * 255f), 0f, 255f) : p >= 0.4f ? (byte)255 : (byte)0;
            Assert.True(expected == mask.Alpha[y * 101 + x], $"({x},{y}): {mask.Alpha[y * 101 + x]}, expected {expected}");
        }
        Assert.Equal((float)covered / (101 * 67), mask.Coverage);
        Assert.InRange(mask.Coverage, 0.2f, 0.9f);
    }

    private static (int Lo, int Hi, float Fraction) Cell(float g, int size)
    {
        g = Math.Clamp(g, 0f, size - 1);
        var lo = (int)g;
        return (lo, Math.Min(lo + 1, size - 1), g - lo);
    }
}
