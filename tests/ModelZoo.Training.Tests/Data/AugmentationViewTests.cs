using ModelZoo.Training.Data;
using SkiaSharp;

namespace ModelZoo.Training.Tests.Data;

public class AugmentationViewTests
{
    [Fact]
    public void None_gives_a_single_identity_view()
    {
        var plan = AugmentationView.Plan(AugmentationLevel.None, views: 5, seed: 3, "cats/a.jpg");

        var view = Assert.Single(plan);
        Assert.True(view.IsIdentity);
        Assert.Equal("identity", view.Key);
        Assert.Equal(AugmentationView.Identity, view);
    }

    [Fact]
    public void Plans_are_deterministic_per_seed_and_image()
    {
        var a = AugmentationView.Plan(AugmentationLevel.Strong, 8, 11, "cats/a.jpg");
        var b = AugmentationView.Plan(AugmentationLevel.Strong, 8, 11, "cats/a.jpg");
        var otherSeed = AugmentationView.Plan(AugmentationLevel.Strong, 8, 12, "cats/a.jpg");
        var otherImage = AugmentationView.Plan(AugmentationLevel.Strong, 8, 11, "cats/b.jpg");

        Assert.Equal(a, b);
        Assert.Equal(a.Select(v => v.Key), b.Select(v => v.Key));
        Assert.NotEqual(a.Select(v => v.Key), otherSeed.Select(v => v.Key));
        Assert.NotEqual(a.Select(v => v.Key), otherImage.Select(v => v.Key));
        Assert.Equal(Enumerable.Range(0, 8), a.Select(v => v.Index));
        Assert.Equal(8, a.Select(v => v.Key).Distinct().Count());
    }

    [Fact]
    public void Light_views_stay_in_range_and_have_no_rotation_or_colour_change()
    {
        var views = Enumerable.Range(0, 50).SelectMany(i => AugmentationView.Plan(AugmentationLevel.Light, 4, i, "img")).ToList();

        Assert.All(views, v =>
        {
            Assert.InRange(v.CropScale, 0.6f, 1f);
            Assert.InRange(v.CropAspect, 0.75f, 4f / 3f);
            Assert.InRange(v.CropX, 0f, 1f);
            Assert.InRange(v.CropY, 0f, 1f);
            Assert.Equal(0f, v.RotationDegrees);
            Assert.Equal(1f, v.Brightness);
            Assert.Equal(1f, v.Contrast);
            Assert.Equal(1f, v.Saturation);
        });
        Assert.Contains(views, v => v.FlipHorizontal);
        Assert.Contains(views, v => !v.FlipHorizontal);
        Assert.Contains(views, v => v.CropScale < 0.7f);
    }

    [Fact]
    public void Strong_views_add_rotation_and_colour_jitter_within_limits()
    {
        var views = Enumerable.Range(0, 50).SelectMany(i => AugmentationView.Plan(AugmentationLevel.Strong, 4, i, "img")).ToList();

        Assert.All(views, v =>
        {
            Assert.InRange(v.RotationDegrees, -15f, 15f);
            Assert.InRange(v.Brightness, 0.8f, 1.2f);
            Assert.InRange(v.Contrast, 0.8f, 1.2f);
            Assert.InRange(v.Saturation, 0.8f, 1.2f);
        });
        Assert.Contains(views, v => v.RotationDegrees < -5f);
        Assert.Contains(views, v => v.RotationDegrees > 5f);
        Assert.Contains(views, v => Math.Abs(v.Brightness - 1f) > 0.1f);
    }

    [Fact]
    public void Plan_rejects_zero_views()
    {
        Assert.Throws<ZooUsageException>(() => AugmentationView.Plan(AugmentationLevel.Light, 0, 1, "x"));
    }

    private static SKBitmap RedLeftBlueRight(int w, int h)
    {
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                bmp.SetPixel(x, y, x < w / 2 ? SKColors.Red : SKColors.Blue);
            }
        }

        return bmp;
    }

    [Fact]
    public void Apply_identity_keeps_the_pixels()
    {
        using var src = RedLeftBlueRight(40, 30);
        using var dst = AugmentationView.Apply(src, AugmentationView.Identity);

        Assert.Equal((40, 30), (dst.Width, dst.Height));
        for (var y = 0; y < 30; y += 7)
        {
            for (var x = 0; x < 40; x++)
            {
                Assert.Equal(src.GetPixel(x, y), dst.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void Apply_flip_swaps_the_halves_and_keeps_the_size()
    {
        using var src = RedLeftBlueRight(40, 30);
        using var dst = AugmentationView.Apply(src, AugmentationView.Identity with { FlipHorizontal = true });

        Assert.Equal((40, 30), (dst.Width, dst.Height));
        Assert.Equal(SKColors.Blue, dst.GetPixel(0, 0));
        Assert.Equal(SKColors.Blue, dst.GetPixel(19, 15));
        Assert.Equal(SKColors.Red, dst.GetPixel(20, 15));
        Assert.Equal(SKColors.Red, dst.GetPixel(39, 29));
    }

    [Fact]
    public void Apply_crop_of_the_left_part_shows_only_red()
    {
        using var src = RedLeftBlueRight(40, 40);
        // Area 0.25 with the image's aspect: a 20x20 crop flush left covers only the red half.
        var view = AugmentationView.Identity with { CropScale = 0.25f, CropX = 0f, CropY = 0.5f };

        using var dst = AugmentationView.Apply(src, view);

        Assert.Equal((40, 40), (dst.Width, dst.Height));
        Assert.Equal(SKColors.Red, dst.GetPixel(0, 0));
        Assert.Equal(SKColors.Red, dst.GetPixel(37, 20));
    }

    [Fact]
    public void Apply_colour_jitter_changes_brightness_and_saturation()
    {
        using var src = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Rgba8888, SKAlphaType.Premul));
        src.Erase(new SKColor(200, 100, 50));

        using var darker = AugmentationView.Apply(src, AugmentationView.Identity with { Brightness = 0.5f });
        using var grey = AugmentationView.Apply(src, AugmentationView.Identity with { Saturation = 0f });
        using var same = AugmentationView.Apply(src, AugmentationView.Identity with { Contrast = 1f });
        using var flat = AugmentationView.Apply(src, AugmentationView.Identity with { Contrast = 0.5f });

        var d = darker.GetPixel(4, 4);
        Assert.InRange(d.Red, 98, 102);
        Assert.InRange(d.Green, 48, 52);
        var g = grey.GetPixel(4, 4);
        Assert.InRange(g.Red - g.Blue, -1, 1);
        Assert.InRange(g.Red, 112, 124); // luma of (200,100,50) is about 118
        Assert.Equal(new SKColor(200, 100, 50), same.GetPixel(4, 4));
        var f = flat.GetPixel(4, 4); // halfway to mid-grey: (164, 114, 89)
        Assert.InRange(f.Red, 162, 166);
        Assert.InRange(f.Blue, 87, 91);
    }

    [Fact]
    public void Apply_rotation_keeps_the_centre_and_fills_corners()
    {
        using var src = RedLeftBlueRight(64, 64);
        using var dst = AugmentationView.Apply(src, AugmentationView.Identity with { RotationDegrees = 15f });

        Assert.Equal(SKColors.Red, dst.GetPixel(10, 32));
        Assert.Equal(SKColors.Blue, dst.GetPixel(54, 32));
        Assert.Equal(255, dst.GetPixel(0, 0).Alpha); // edge pixels extended, no transparent corners
    }
}
