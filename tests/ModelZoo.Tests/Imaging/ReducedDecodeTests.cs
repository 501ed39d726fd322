using ModelZoo.Imaging;
using SkiaSharp;

namespace ModelZoo.Tests.Imaging;

/// <summary><see cref="ImageDecodeOptions.MaxDecodedPixels"/>: huge images decode smaller, ordinary ones exactly as before.</summary>
public sealed class ReducedDecodeTests
{
    private static readonly ImageDecodeOptions Capped = new() { MaxDecodedPixels = 1024 * 1024 };

    [Theory]
    [InlineData("darknet/dog.jpg")]
    [InlineData("skimage/astronaut.png")]
    public void An_image_under_the_cap_decodes_byte_for_byte_as_without_it(string photo)
    {
        var bytes = File.ReadAllBytes(TestAssets.Image(photo));
        using var plain = ImageDecoder.Decode(bytes);
        using var capped = ImageDecoder.Decode(bytes, null, Capped);
        Assert.Equal((plain.Width, plain.Height), (capped.Width, capped.Height));
        Assert.True(plain.Pixels.SequenceEqual(capped.Pixels));
        var estimate = ImageDecoder.Measure(bytes, null, Capped);
        Assert.False(estimate.IsReduced);
        Assert.Equal((plain.Width, plain.Height), (estimate.DecodedWidth, estimate.DecodedHeight));
    }

    [Fact]
    public void A_png_over_the_cap_decodes_to_the_box_average_of_its_full_decode()
    {
        // A real photo enlarged to 2048×2048 (4 MP) under a 1 MP cap: 2×2 boxes.
        var png = Enlarged("skimage/astronaut.png", 2048, SKEncodedImageFormat.Png);
        using var full = ImageDecoder.Decode(png);
        using var reduced = ImageDecoder.Decode(png, null, Capped);
        Assert.Equal((1024, 1024), (reduced.Width, reduced.Height));
        var estimate = ImageDecoder.Measure(png, null, Capped);
        Assert.True(estimate.IsReduced);
        Assert.Equal((2048, 2048, 1024, 1024), (estimate.Width, estimate.Height, estimate.DecodedWidth, estimate.DecodedHeight));
        var f = full.Pixels;
        var r = reduced.Pixels;
        var worst = 0;
        for (var y = 0; y < 1024; y++)
        for (var x = 0; x < 1024; x++)
        for (var c = 0; c < 3; c++)
        {
            var sum = f[3 * (2 * y * 2048 + 2 * x) + c] + f[3 * (2 * y * 2048 + 2 * x + 1) + c]
                + f[3 * ((2 * y + 1) * 2048 + 2 * x) + c] + f[3 * ((2 * y + 1) * 2048 + 2 * x + 1) + c];
            worst = Math.Max(worst, Math.Abs((sum + 2) / 4 - r[3 * (y * 1024 + x) + c]));
        }
        Assert.True(worst <= 1, $"largest difference from the box average: {worst}");
    }

    [Fact]
    public void A_jpeg_over_the_cap_decodes_at_a_dct_scale_close_to_a_resized_full_decode()
    {
        var jpeg = Enlarged("darknet/dog.jpg", 2400, SKEncodedImageFormat.Jpeg);
        using var reduced = ImageDecoder.Decode(jpeg, null, Capped);
        var estimate = ImageDecoder.Measure(jpeg, null, Capped);
        Assert.Equal((estimate.DecodedWidth, estimate.DecodedHeight), (reduced.Width, reduced.Height));
        Assert.True((long)reduced.Width * reduced.Height <= 1024 * 1024, $"{reduced.Width}x{reduced.Height}");
        Assert.True(reduced.Width >= 700, $"{reduced.Width}x{reduced.Height} is smaller than it needs to be");
        Assert.InRange(reduced.Height * 4, reduced.Width * 3 - 8, reduced.Width * 3 + 8);

        using var full = SKBitmap.Decode(jpeg);
        using var resized = full.Resize(new SKImageInfo(reduced.Width, reduced.Height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var reference = RgbImage.FromBitmap(resized);
        var difference = reference.Pixels.ToArray().Zip(reduced.Pixels.ToArray()).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(difference < 4, $"mean difference {difference:0.00} levels from a resized full decode");
    }

    [Fact]
    public void A_jpeg_for_a_small_model_input_decodes_at_the_smallest_dct_scale_that_still_covers_it()
    {
        // dog.jpg is 768×576; a 128-pixel letterbox shrinks it by 1/6, so 2/8 (192×144) is the smallest scale that covers it.
        var path = TestAssets.Image("darknet/dog.jpg");
        var spec = new ModelZoo.Catalog.InputSpec { Width = 128, Height = 128, Resize = ModelZoo.Catalog.ResizeMode.Letterbox };
        var scale = ImagePreprocessor.ResizeScale(768, 576, spec);
        Assert.Equal(1.0 / 6, scale, 6);
        var decoded = ImageDecoder.DecodeScaled(path, null, (w, h) => ImagePreprocessor.ResizeScale(w, h, spec));
        using (decoded.Image)
        {
            Assert.Equal((192, 144), (decoded.Image.Width, decoded.Image.Height));
            Assert.Equal((768, 576, 0.25, 0.25), (decoded.SourceWidth, decoded.SourceHeight, decoded.ScaleX, decoded.ScaleY));
        }
        // A model input as large as the photo: nothing to gain, full size.
        var whole = ImageDecoder.DecodeScaled(path, null, (_, _) => 1.0);
        using (whole.Image)
        {
            Assert.Equal((768, 576, 1.0), (whole.Image.Width, whole.Image.Height, whole.ScaleX));
        }
    }

    [Fact]
    public void A_png_decodes_at_full_size_whatever_scale_is_asked()
    {
        var decoded = ImageDecoder.DecodeScaled(TestAssets.Image("skimage/astronaut.png"), null, (_, _) => 0.1);
        using (decoded.Image)
        {
            Assert.Equal((512, 512, 512, 512, 1.0, 1.0),
                (decoded.Image.Width, decoded.Image.Height, decoded.SourceWidth, decoded.SourceHeight, decoded.ScaleX, decoded.ScaleY));
        }
    }

    [Fact]
    public void A_rotated_jpeg_asks_for_the_scale_of_its_upright_size_and_reports_it()
    {
        // EXIF orientation 6 (rotate 90° clockwise): dog.jpg stands upright as 576×768.
        var rotated = TestImages.WithExifOrientation(File.ReadAllBytes(TestAssets.Image("darknet/dog.jpg")), 6);
        var path = Path.Combine(Path.GetTempPath(), $"zoo-rotated-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, rotated);
        try
        {
            var asked = (0, 0);
            var decoded = ImageDecoder.DecodeScaled(path, null, (w, h) =>
            {
                asked = (w, h);
                return 0.3;
            });
            using (decoded.Image)
            {
                Assert.Equal((576, 768), asked);
                Assert.Equal((576, 768), (decoded.SourceWidth, decoded.SourceHeight));
                Assert.Equal((216, 288), (decoded.Image.Width, decoded.Image.Height));
                Assert.Equal(0.375, decoded.ScaleX);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_transform_from_a_scaled_decode_maps_onto_the_file()
    {
        // A 128-pixel letterbox of a 192×144 decode of a 768×576 file, mapped back: the file's corners.
        var spec = new ModelZoo.Catalog.InputSpec { Width = 128, Height = 128, Resize = ModelZoo.Catalog.ResizeMode.Letterbox };
        var decoded = ImagePreprocessor.GetTransform(192, 144, spec);
        var scaled = new ScaledImage(null!, 768, 576, 0.25, 0.25);
        var file = scaled.ToSource(decoded);
        var direct = ImagePreprocessor.GetTransform(768, 576, spec);
        Assert.Equal((768, 576), (file.SourceWidth, file.SourceHeight));
        foreach (var (x, y) in new[] { (0f, 16f), (128f, 112f), (64f, 64f) })
        {
            var (fx, fy) = file.MapToSource(x, y);
            var (dx, dy) = direct.MapToSource(x, y);
            Assert.InRange(fx - dx, -0.5f, 0.5f);
            Assert.InRange(fy - dy, -0.5f, 0.5f);
        }
    }

    /// <summary>A real photo scaled up to <paramref name="width"/> wide and encoded, as a camera's large file.</summary>
    private static byte[] Enlarged(string photo, int width, SKEncodedImageFormat format)
    {
        using var source = SKBitmap.Decode(TestAssets.Image(photo));
        var height = (int)Math.Round((double)source.Height * width / source.Width);
        using var big = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        using var data = big.Encode(format, 92);
        return data.ToArray();
    }
}
