using ModelZoo.Imaging;
using SkiaSharp;

namespace ModelZoo.Tests.Imaging;

public class ImageDecoderTests
{
    private const int Tolerance = 12; // JPEG round trips shift solid colours by a few levels

    [Fact]
    public void Zero_byte_input_is_image_empty()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(ReadOnlySpan<byte>.Empty, "empty.jpg"));
        Assert.Equal("image-empty", e.Code);
        Assert.Contains("empty.jpg", e.Message);
    }

    [Fact]
    public void Zero_byte_file_is_image_empty()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zoo-empty-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, []);
        try
        {
            Assert.Equal("image-empty", Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path)).Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_image_not_found()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Path.Combine(Path.GetTempPath(), "zoo-no-such-image.jpg")));
        Assert.Equal("image-not-found", e.Code);
    }

    [Fact]
    public void Text_file_is_image_unsupported()
    {
        var text = "label,path\ncat,images/cat.jpg\ndog,images/dog.jpg\n"u8.ToArray();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(text, "labels.csv"));
        Assert.Equal("image-unsupported", e.Code);
        Assert.Contains("JPEG, PNG, WebP, BMP or GIF", e.Message);
    }

    [Fact]
    public void Tiff_is_named_in_the_unsupported_error()
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(tiff, "scan.tif"));
        Assert.Equal("image-unsupported", e.Code);
        Assert.Contains("TIFF", e.Message);
    }

    [Fact]
    public void Jpeg_cut_in_half_is_image_truncated()
    {
        var bytes = File.ReadAllBytes(TestAssets.Image("darknet/dog.jpg"));
        var half = bytes[..(bytes.Length / 2)];
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(half, "dog-half.jpg"));
        Assert.Equal("image-truncated", e.Code);
        Assert.Contains("AllowTruncated", e.Message);
    }

    [Fact]
    public void Jpeg_cut_in_half_decodes_partially_when_allowed()
    {
        var bytes = File.ReadAllBytes(TestAssets.Image("darknet/dog.jpg"));
        using var full = ImageDecoder.Decode(bytes);
        using var partial = ImageDecoder.Decode(bytes.AsSpan(0, bytes.Length / 2), "dog-half.jpg", new ImageDecodeOptions { AllowTruncated = true });
        Assert.True(partial.IsTruncated);
        Assert.False(full.IsTruncated);
        Assert.Equal((full.Width, full.Height), (partial.Width, partial.Height));
        // The top rows were in the data: they match the full decode.
        Assert.True(full.Pixels[..(3 * full.Width * 10)].SequenceEqual(partial.Pixels[..(3 * full.Width * 10)]));
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_image_truncated()
    {
        var bytes = File.ReadAllBytes(TestAssets.Image("darknet/dog.jpg"));
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes.AsSpan(0, 60), "dog-head.jpg"));
        Assert.Equal("image-truncated", e.Code);
    }

    [Fact]
    public void Skimage_truncated_jpeg_is_image_truncated()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(TestAssets.Image("skimage/truncated.jpg")));
        Assert.Equal("image-truncated", e.Code);
        Assert.Equal("truncated.jpg", e.ImageName);
    }

    [Fact]
    public void Huge_png_header_fails_fast_without_allocating_pixels()
    {
        var png = TestImages.HugePngHeader(30000, 30000);
        Assert.True(png.Length < 10_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, "bomb.png"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("image-too-large", e.Code);
        Assert.Contains("30000x30000", e.Message);
        Assert.True(allocated < 1_000_000, $"decoder allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void MaxPixels_option_limits_real_images()
    {
        var path = TestAssets.Image("darknet/dog.jpg");
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path, new ImageDecodeOptions { MaxPixels = 100_000 }));
        Assert.Equal("image-too-large", e.Code);
        Assert.Contains("MaxPixels", e.Message);
    }

    [Theory]
    [InlineData(1, 64, 32, "R", "G", "B", "Y")]
    [InlineData(2, 64, 32, "G", "R", "Y", "B")]
    [InlineData(3, 64, 32, "Y", "B", "G", "R")]
    [InlineData(4, 64, 32, "B", "Y", "R", "G")]
    [InlineData(5, 32, 64, "R", "B", "G", "Y")]
    [InlineData(6, 32, 64, "B", "R", "Y", "G")]
    [InlineData(7, 32, 64, "Y", "G", "B", "R")]
    [InlineData(8, 32, 64, "G", "Y", "R", "B")]
    public void Exif_orientation_is_applied(int orientation, int width, int height, string topLeft, string topRight, string bottomLeft, string bottomRight)
    {
        using var source = TestImages.Quadrants(64, 32);
        var jpeg = TestImages.WithExifOrientation(TestImages.Encode(source, SKEncodedImageFormat.Jpeg), orientation);

        using var image = ImageDecoder.Decode(jpeg, $"orientation-{orientation}.jpg");

        Assert.Equal((width, height), (image.Width, image.Height));
        AssertColor(Named(topLeft), image.GetPixel(3, 3));
        AssertColor(Named(topRight), image.GetPixel(width - 4, 3));
        AssertColor(Named(bottomLeft), image.GetPixel(3, height - 4));
        AssertColor(Named(bottomRight), image.GetPixel(width - 4, height - 4));
    }

    [Fact]
    public void Exif_orientation_can_be_ignored()
    {
        using var source = TestImages.Quadrants(64, 32);
        var jpeg = TestImages.WithExifOrientation(TestImages.Encode(source, SKEncodedImageFormat.Jpeg), 6);
        using var image = ImageDecoder.Decode(jpeg, null, new ImageDecodeOptions { ApplyOrientation = false });
        Assert.Equal((64, 32), (image.Width, image.Height));
        AssertColor(TestImages.Red, image.GetPixel(3, 3));
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_the_right_colours()
    {
        // Written by PIL (Adobe-inverted CMYK, like Photoshop's); see Fixtures/make-cmyk-fixture.py.
        var path = Path.Combine(TestAssets.RepoRoot, "tests", "ModelZoo.Tests", "Imaging", "Fixtures", "cmyk-quadrants.jpg");
        using var image = ImageDecoder.Decode(path);
        Assert.Equal((32, 32), (image.Width, image.Height));
        AssertColor(TestImages.Red, image.GetPixel(4, 4));
        AssertColor(TestImages.Green, image.GetPixel(27, 4));
        AssertColor(TestImages.Blue, image.GetPixel(4, 27));
        AssertColor(SKColors.White, image.GetPixel(27, 27));
    }

    [Fact]
    public void Sixteen_bit_png_becomes_eight_bit()
    {
        // 3x1 RGB, 16 bits per sample, big-endian: white, mid grey, (red=0x1234, green=0xFFFF, blue=0).
        byte[] row = [0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x12, 0x34, 0xFF, 0xFF, 0x00, 0x00];
        var png = TestImages.Png(3, 1, 16, 2, row);
        using var image = ImageDecoder.Decode(png, "deep.png");
        Assert.Equal((3, 1), (image.Width, image.Height));
        Assert.Equal((255, 255, 255), image.GetPixel(0, 0));
        AssertColor(new SKColor(128, 128, 128), image.GetPixel(1, 0), tolerance: 1);
        AssertColor(new SKColor(0x12, 255, 0), image.GetPixel(2, 0), tolerance: 1);
    }

    [Fact]
    public void Sixteen_bit_rgba_png_is_composited_on_white()
    {
        // 2x1 RGBA16: opaque black, half-transparent black.
        byte[] row = [0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x80, 0x00];
        using var image = ImageDecoder.Decode(TestImages.Png(2, 1, 16, 6, row));
        Assert.Equal((0, 0, 0), image.GetPixel(0, 0));
        AssertColor(new SKColor(127, 127, 127), image.GetPixel(1, 0), tolerance: 1);
    }

    [Fact]
    public void Transparent_pixels_become_white()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(3, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.SetPixel(0, 0, new SKColor(255, 0, 0, 0));     // fully transparent red
        bitmap.SetPixel(1, 0, new SKColor(0, 0, 255, 128));   // half-transparent blue
        bitmap.SetPixel(2, 0, new SKColor(10, 20, 30, 255));  // opaque
        using var image = ImageDecoder.Decode(TestImages.Encode(bitmap, SKEncodedImageFormat.Png));
        Assert.Equal((255, 255, 255), image.GetPixel(0, 0));
        AssertColor(new SKColor(127, 127, 255), image.GetPixel(1, 0), tolerance: 1);
        Assert.Equal((10, 20, 30), image.GetPixel(2, 0));
    }

    [Fact]
    public void Grayscale_png_becomes_rgb()
    {
        var png = TestImages.Png(2, 1, 8, 0, [0, 17, 200]);
        using var image = ImageDecoder.Decode(png);
        Assert.Equal((17, 17, 17), image.GetPixel(0, 0));
        Assert.Equal((200, 200, 200), image.GetPixel(1, 0));
    }

    [Fact]
    public void Bmp_decodes()
    {
        var bmp = TestImages.Bmp24(5, 3, (x, y) => ((byte)(x * 50), (byte)(y * 100), 7));
        using var image = ImageDecoder.Decode(bmp, "tiny.bmp");
        Assert.Equal((5, 3), (image.Width, image.Height));
        Assert.Equal((200, 200, 7), image.GetPixel(4, 2));
        Assert.Equal((0, 0, 7), image.GetPixel(0, 0));
    }

    [Fact]
    public void Lossless_webp_round_trips_exactly()
    {
        using var source = TestImages.Quadrants(10, 6);
        var webp = TestImages.Encode(source, SKEncodedImageFormat.Webp, quality: 100);
        using var image = ImageDecoder.Decode(webp, "q.webp");
        Assert.Equal((10, 6), (image.Width, image.Height));
        Assert.Equal((255, 255, 0), image.GetPixel(9, 5));
        Assert.Equal((255, 0, 0), image.GetPixel(0, 0));
    }

    [Fact]
    public void Gif_first_frame_decodes()
    {
        using var image = ImageDecoder.Decode(TestAssets.Image("skimage/no_time_for_that_tiny.gif"));
        Assert.Equal((14, 25), (image.Width, image.Height));
        Assert.True(Distinct(image) > 1);
    }

    [Fact]
    public void Png_round_trips_exactly()
    {
        using var source = TestImages.Quadrants(9, 7);
        using var image = ImageDecoder.Decode(TestImages.Encode(source, SKEncodedImageFormat.Png));
        using var back = image.ToBitmap();
        using var again = RgbImage.FromBitmap(back);
        Assert.True(image.Pixels.SequenceEqual(again.Pixels));
        Assert.Equal((0, 0, 255), image.GetPixel(0, 6));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 3)]
    [InlineData(16, 2)]
    [InlineData(37, 11)]
    public void Opaque_png_pixels_are_copied_exactly_at_any_width(int width, int height)
    {
        // Every pixel distinct, so a byte taken from the wrong pixel or channel shows (the vector copy and its scalar tail).
        var rgb = new byte[3 * width * height];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(i * 7 + i / 3);
        }
        using var source = RgbImage.FromPixels(width, height, rgb);
        using var bitmap = source.ToBitmap();
        using var image = ImageDecoder.Decode(TestImages.Encode(bitmap, SKEncodedImageFormat.Png));
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(image.Pixels.SequenceEqual(rgb));
    }

    public static TheoryData<string, int, int> KnownSizes => new()
    {
        { "darknet/dog.jpg", 768, 576 },
        { "darknet/person.jpg", 640, 424 },
        { "darknet/horses.jpg", 773, 512 },
        { "skimage/chelsea.png", 451, 300 },
        { "skimage/coffee.png", 600, 400 },
        { "skimage/astronaut.png", 512, 512 },
        { "skimage/rocket.jpg", 640, 427 },
        { "skimage/camera.png", 512, 512 },
        { "skimage/palette_color.png", 10, 10 },
    };

    [Theory]
    [MemberData(nameof(KnownSizes))]
    public void Real_images_decode_at_their_size(string relative, int width, int height)
    {
        using var image = ImageDecoder.Decode(TestAssets.Image(relative));
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(Distinct(image) > 1, "decoded image is a single colour");
    }

    [Fact]
    public void Every_darknet_and_skimage_image_decodes()
    {
        var files = Directory.GetFiles(TestAssets.ImageFolder("darknet"), "*.jpg")
            .Concat(Directory.GetFiles(TestAssets.ImageFolder("skimage")).Where(f => !f.EndsWith(".fetched", StringComparison.Ordinal)))
            .Where(f => Path.GetFileName(f) != "truncated.jpg")
            .ToList();
        Assert.True(files.Count >= 40, $"only {files.Count} images found");
        foreach (var file in files)
        {
            using var image = ImageDecoder.Decode(file);
            Assert.True(image.Width > 0 && image.Height > 0, file);
            Assert.False(image.IsTruncated, file);
        }
    }

    [Fact]
    public void Tuxpaint_stamps_have_white_backgrounds()
    {
        var stamps = Directory.GetFiles(TestAssets.ImageFolder("tuxpaint"), "*.png", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Where((_, i) => i % 25 == 0).ToList();
        Assert.True(stamps.Count >= 20);
        var whiteCorners = 0;
        foreach (var stamp in stamps)
        {
            using var image = ImageDecoder.Decode(stamp);
            if (image.GetPixel(0, 0) == (255, 255, 255)) whiteCorners++;
        }
        // Stamps are cut-outs on transparent backgrounds, which compositing turns white.
        Assert.True(whiteCorners >= stamps.Count * 9 / 10, $"{whiteCorners} of {stamps.Count} stamps have a white corner");
    }

    [Fact]
    public void Decoding_is_thread_safe()
    {
        var bytes = File.ReadAllBytes(TestAssets.Image("darknet/eagle.jpg"));
        using var reference = ImageDecoder.Decode(bytes);
        var expected = reference.Pixels.ToArray();
        Parallel.For(0, 8, _ =>
        {
            using var image = ImageDecoder.Decode(bytes);
            Assert.True(image.Pixels.SequenceEqual(expected));
        });
    }

    [Fact]
    public void Disposed_image_refuses_access()
    {
        var image = ImageDecoder.Decode(TestImages.Png(1, 1, 8, 0, [0, 5]));
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => image.Pixels.Length);
    }

    private static SKColor Named(string name) => name switch
    {
        "R" => TestImages.Red,
        "G" => TestImages.Green,
        "B" => TestImages.Blue,
        "Y" => TestImages.Yellow,
        _ => throw new ArgumentException(name),
    };

    private static void AssertColor(SKColor expected, (byte R, byte G, byte B) actual, int tolerance = Tolerance)
    {
        var ok = Math.Abs(expected.Red - actual.R) <= tolerance
                 && Math.Abs(expected.Green - actual.G) <= tolerance
                 && Math.Abs(expected.Blue - actual.B) <= tolerance;
        Assert.True(ok, $"expected ~({expected.Red},{expected.Green},{expected.Blue}) but got {actual}");
    }

    private static int Distinct(RgbImage image)
    {
        var set = new HashSet<int>();
        var p = image.Pixels;
        for (var i = 0; i < p.Length && set.Count < 2; i += 3)
        {
            set.Add(p[i] << 16 | p[i + 1] << 8 | p[i + 2]);
        }
        return set.Count;
    }
}
