using ModelZoo.Catalog;
using ModelZoo.Imaging;

namespace ModelZoo.Tests.Imaging;

public class ImagePreprocessorTests
{
    private const float Eps = 1e-5f;

    /// <summary>4×2 image, every pixel distinct: pixel (x, y) = (10x + 100y + 1, 10x + 100y + 2, 10x + 100y + 3).</summary>
    private static RgbImage Known4x2()
    {
        var rgb = new byte[3 * 8];
        for (var y = 0; y < 2; y++)
        for (var x = 0; x < 4; x++)
        for (var c = 0; c < 3; c++)
            rgb[3 * (y * 4 + x) + c] = (byte)(10 * x + 100 * y + c + 1);
        return RgbImage.FromPixels(4, 2, rgb);
    }

    private static float Value(int x, int y, int c) => 10 * x + 100 * y + c + 1;

    [Fact]
    public void Nchw_rgb_with_mean_and_std_is_exact()
    {
        using var image = Known4x2();
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var spec = new InputSpec { Width = 4, Height = 2, Mean = mean, Std = std };
        var tensor = new float[ImagePreprocessor.TensorLength(spec)];
        Assert.Equal(24, tensor.Length);

        var transform = ImagePreprocessor.WriteTensor(image, spec, tensor);

        for (var c = 0; c < 3; c++)
        for (var y = 0; y < 2; y++)
        for (var x = 0; x < 4; x++)
        {
            var expected = (Value(x, y, c) / 255f - mean[c]) / std[c];
            Assert.Equal(expected, tensor[c * 8 + y * 4 + x], Eps);
        }
        Assert.Equal(new ImageTransform(1, 1, 0, 0, 4, 2), transform);
    }

    [Fact]
    public void Nhwc_bgr_swaps_channels_and_keeps_per_channel_constants()
    {
        using var image = Known4x2();
        // Caffe-style: 0–255 scale, BGR means, no std.
        var spec = new InputSpec
        {
            Width = 4, Height = 2, Layout = TensorLayout.Nhwc, ColorOrder = ColorOrder.Bgr,
            Scale = 1f, Mean = [103.939f, 116.779f, 123.68f], Std = [1f, 1f, 1f],
        };
        var tensor = new float[24];
        ImagePreprocessor.WriteTensor(image, spec, tensor);
        for (var y = 0; y < 2; y++)
        for (var x = 0; x < 4; x++)
        {
            var i = 3 * (y * 4 + x);
            Assert.Equal(Value(x, y, 2) - 103.939f, tensor[i], Eps);     // B first
            Assert.Equal(Value(x, y, 1) - 116.779f, tensor[i + 1], Eps);
            Assert.Equal(Value(x, y, 0) - 123.68f, tensor[i + 2], Eps);  // R last
        }
    }

    [Fact]
    public void Nchw_bgr_planes_are_blue_green_red()
    {
        using var image = Known4x2();
        var spec = new InputSpec { Width = 4, Height = 2, ColorOrder = ColorOrder.Bgr, Scale = 1f };
        var tensor = new float[24];
        ImagePreprocessor.WriteTensor(image, spec, tensor);
        Assert.Equal(Value(1, 1, 2), tensor[0 * 8 + 5]);
        Assert.Equal(Value(1, 1, 1), tensor[1 * 8 + 5]);
        Assert.Equal(Value(1, 1, 0), tensor[2 * 8 + 5]);
    }

    [Fact]
    public void Gray_uses_pil_luma_and_one_channel()
    {
        using var image = RgbImage.FromPixels(2, 1, [255, 0, 0, 10, 200, 30]);
        var spec = new InputSpec { Width = 2, Height = 1, ColorOrder = ColorOrder.Gray, Scale = 1f, Mean = [0f], Std = [1f] };
        Assert.Equal(2, ImagePreprocessor.TensorLength(spec));
        var tensor = new float[2];
        ImagePreprocessor.WriteTensor(image, spec, tensor);
        Assert.Equal(76f, tensor[0]);   // PIL: L = R*299/1000 + G*587/1000 + B*114/1000, rounded
        Assert.Equal(124f, tensor[1]);  // 2.99 + 117.4 + 3.42 = 123.81
    }

    [Fact]
    public void Uint8_tensor_gets_raw_pixels_in_layout()
    {
        using var image = Known4x2();
        var spec = new InputSpec { Width = 4, Height = 2, Layout = TensorLayout.Nhwc, ElementType = "uint8", Mean = [0.5f, 0.5f, 0.5f] };
        var tensor = new byte[24];
        ImagePreprocessor.WriteTensor(image, spec, tensor);
        Assert.True(image.Pixels.SequenceEqual(tensor));
    }

    [Fact]
    public void Destination_too_short_is_rejected_and_a_longer_one_is_only_partly_written()
    {
        using var image = Known4x2();
        var spec = new InputSpec { Width = 4, Height = 2 };
        Assert.Throws<ArgumentException>(() => ImagePreprocessor.WriteTensor(image, spec, new float[23]));
        var batch = Enumerable.Repeat(-7f, 30).ToArray();
        ImagePreprocessor.WriteTensor(image, spec, batch);
        Assert.All(batch[24..], v => Assert.Equal(-7f, v));
    }

    [Fact]
    public void Invalid_spec_is_a_zoo_error()
    {
        using var image = Known4x2();
        var spec = new InputSpec { Width = 4, Height = 2, Std = [1f, 0f, 1f] };
        var e = Assert.Throws<ZooException>(() => ImagePreprocessor.WriteTensor(image, spec, new float[24]));
        Assert.Equal("input-spec-invalid", e.Code);
    }

    [Fact]
    public void Center_crop_without_resize_cuts_the_middle_columns()
    {
        // 8×4 image whose column x has value 20x (all channels); crop 4×4: shorter side already 4.
        var rgb = new byte[3 * 32];
        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 8; x++)
            rgb.AsSpan(3 * (y * 8 + x), 3).Fill((byte)(20 * x));
        using var image = RgbImage.FromPixels(8, 4, rgb);
        var spec = new InputSpec { Width = 4, Height = 4, Resize = ResizeMode.CenterCrop, Scale = 1f };
        var tensor = new float[48];

        var t = ImagePreprocessor.WriteTensor(image, spec, tensor);

        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 4; x++)
            Assert.Equal(20f * (x + 2), tensor[y * 4 + x]);
        Assert.Equal(new ImageTransform(1, 1, -2, 0, 8, 4), t);
        Assert.Equal((2f, 0f), t.MapToSource(0, 0));
        Assert.Equal((6f, 4f), t.MapToSource(4, 4));
    }

    [Fact]
    public void Center_crop_geometry_follows_torchvision_resize_256_crop_224()
    {
        var spec = new InputSpec { Width = 224, Height = 224, Resize = ResizeMode.CenterCrop, ResizeShorterSide = 256 };
        // rocket.jpg is 640×427: shorter side 427→256, long side int(256*640/427)=383;
        // crop left = round((383-224)/2) = round(79.5) = 80 (half to even), top = (256-224)/2 = 16.
        var t = ImagePreprocessor.GetTransform(640, 427, spec);
        Assert.Equal(383f / 640f, t.ScaleX, 6);
        Assert.Equal(256f / 427f, t.ScaleY, 6);
        Assert.Equal(-80f, t.OffsetX);
        Assert.Equal(-16f, t.OffsetY);
        // Portrait 427×640 and the half-to-even rule going down: 768×576 → 341×256, (341-224)/2 = 58.5 → 58.
        var t2 = ImagePreprocessor.GetTransform(768, 576, spec);
        Assert.Equal(341f / 768f, t2.ScaleX, 6);
        Assert.Equal(-58f, t2.OffsetX);
        var t3 = ImagePreprocessor.GetTransform(427, 640, spec);
        Assert.Equal((-16f, -80f), (t3.OffsetX, t3.OffsetY));
    }

    [Fact]
    public void Letterbox_pads_with_pad_value_and_maps_back()
    {
        using var image = Known4x2();
        // 4×2 into 4×4: no scaling, one padded row above and below.
        var spec = new InputSpec { Width = 4, Height = 4, Resize = ResizeMode.Letterbox, PadValue = 114f, Scale = 1f };
        var tensor = new float[48];

        var t = ImagePreprocessor.WriteTensor(image, spec, tensor);

        for (var c = 0; c < 3; c++)
        for (var x = 0; x < 4; x++)
        {
            Assert.Equal(114f, tensor[c * 16 + 0 * 4 + x]);
            Assert.Equal(Value(x, 0, c), tensor[c * 16 + 1 * 4 + x]);
            Assert.Equal(Value(x, 1, c), tensor[c * 16 + 2 * 4 + x]);
            Assert.Equal(114f, tensor[c * 16 + 3 * 4 + x]);
        }
        Assert.Equal(new ImageTransform(1, 1, 0, 1, 4, 2), t);
        Assert.Equal((0f, 0f), t.MapToSource(0, 1));
        Assert.Equal((4f, 2f), t.MapToSource(4, 3));
        Assert.Equal((4f, 0f), t.ClampToSource(4, 0));
    }

    [Fact]
    public void Letterbox_scales_to_fit_and_centres()
    {
        // 200×100 solid colour into 64×64: scale 0.32 → 64×32 placed at y = 16.
        var rgb = new byte[3 * 200 * 100];
        for (var i = 0; i < rgb.Length; i += 3) { rgb[i] = 30; rgb[i + 1] = 60; rgb[i + 2] = 90; }
        using var image = RgbImage.FromPixels(200, 100, rgb);
        var spec = new InputSpec { Width = 64, Height = 64, Resize = ResizeMode.Letterbox, Layout = TensorLayout.Nhwc, PadValue = 0f, Scale = 1f };
        var tensor = new float[ImagePreprocessor.TensorLength(spec)];

        var t = ImagePreprocessor.WriteTensor(image, spec, tensor);

        Assert.Equal(0.32f, t.ScaleX, 6);
        Assert.Equal(0.32f, t.ScaleY, 6);
        Assert.Equal((0f, 16f), (t.OffsetX, t.OffsetY));
        for (var y = 0; y < 64; y++)
        {
            var inside = y is >= 16 and < 48;
            for (var x = 0; x < 64; x++)
            {
                var i = 3 * (y * 64 + x);
                Assert.Equal(inside ? (30f, 60f, 90f) : (0f, 0f, 0f), (tensor[i], tensor[i + 1], tensor[i + 2]));
            }
        }
        var (sx, sy) = t.MapToSource(32, 32);
        Assert.Equal(100f, sx, 3);
        Assert.Equal(50f, sy, 3);
        var (ix, iy) = t.MapToInput(sx, sy);
        Assert.Equal((32f, 32f), (MathF.Round(ix, 3), MathF.Round(iy, 3)));
    }

    [Fact]
    public void Resize_matches_pil_bilinear_hand_computed()
    {
        // PIL: [0, 70, 140, 210] → 2 pixels with triangle support 2: weights 3/7,3/7,1/7 and 1/7,3/7,3/7.
        using var image = RgbImage.FromPixels(4, 1, [0, 0, 0, 70, 70, 70, 140, 140, 140, 210, 210, 210]);
        using var small = ImagePreprocessor.Resize(image, new InputSpec { Width = 2, Height = 1 }, out _);
        Assert.Equal(new byte[] { 50, 50, 50, 160, 160, 160 }, small.Pixels.ToArray());
    }

    // Produced offline by PIL 9.4 (Debian python3-pil): Image.frombytes of Formula13x9().resize(size, Image.BILINEAR).
    private static readonly byte[] Pil5x4 =
    [
        48, 29, 227, 133, 81, 197, 151, 146, 163, 73, 119, 129, 158, 148, 99, 70, 76, 192, 155, 128, 162, 150, 147, 128,
        95, 132, 94, 180, 122, 64, 96, 128, 154, 178, 167, 124, 101, 111, 90, 121, 122, 56, 200, 136, 59, 118, 175, 119,
        172, 159, 89, 78, 109, 55, 143, 145, 44, 166, 140, 172,
    ];

    private static readonly byte[] Pil7x11 =
    [
        23, 4, 247, 83, 28, 226, 151, 86, 202, 161, 182, 177, 37, 135, 152, 105, 180, 128, 165, 162, 107, 31, 21, 235,
        91, 45, 214, 159, 103, 190, 169, 154, 165, 45, 97, 140, 113, 111, 116, 173, 161, 95, 40, 40, 221, 100, 64, 200,
        168, 122, 176, 178, 157, 151, 54, 96, 126, 122, 98, 102, 182, 174, 81, 49, 58, 207, 109, 82, 186, 177, 140, 162,
        187, 175, 137, 63, 114, 112, 131, 116, 88, 191, 148, 67, 58, 77, 193, 118, 101, 172, 186, 159, 148, 172, 170, 123,
        72, 133, 98, 140, 135, 74, 200, 89, 53, 67, 96, 179, 127, 120, 158, 195, 178, 134, 71, 80, 109, 81, 152, 84,
        149, 154, 60, 209, 108, 39, 76, 115, 165, 136, 139, 144, 204, 197, 120, 80, 99, 95, 90, 127, 70, 158, 103, 46,
        218, 127, 25, 85, 134, 151, 145, 158, 130, 213, 168, 106, 89, 78, 81, 99, 137, 56, 167, 107, 32, 227, 146, 89,
        94, 152, 137, 154, 176, 116, 188, 159, 92, 70, 74, 67, 108, 155, 42, 176, 125, 38, 181, 164, 169, 103, 171, 123,
        163, 193, 102, 156, 143, 78, 46, 93, 53, 117, 174, 28, 185, 133, 79, 123, 153, 222, 111, 188, 111, 171, 202, 90,
        164, 67, 66, 54, 110, 41, 125, 191, 16, 193, 118, 152, 131, 90, 227,
    ];

    /// <summary>13×9 test pattern: R = 37x+11y, G = 5x²+23y, B = 255-13x-17y, all mod 256.</summary>
    private static RgbImage Formula13x9()
    {
        var rgb = new byte[3 * 13 * 9];
        for (var y = 0; y < 9; y++)
        for (var x = 0; x < 13; x++)
        {
            var i = 3 * (y * 13 + x);
            rgb[i] = (byte)(((x * 37 + y * 11) % 256 + 256) % 256);
            rgb[i + 1] = (byte)(((x * x * 5 + y * 23) % 256 + 256) % 256);
            rgb[i + 2] = (byte)(((255 - x * 13 - y * 17) % 256 + 256) % 256);
        }
        return RgbImage.FromPixels(13, 9, rgb);
    }

    [Theory]
    [InlineData(5, 4)]
    [InlineData(7, 11)]
    public void Resize_matches_pil_bilinear_within_one_level(int width, int height)
    {
        var expected = width == 5 ? Pil5x4 : Pil7x11;
        using var image = Formula13x9();
        using var resized = ImagePreprocessor.Resize(image, new InputSpec { Width = width, Height = height }, out var t);
        Assert.Equal((width, height), (resized.Width, resized.Height));
        Assert.Equal(width / 13f, t.ScaleX, 6);
        var actual = resized.Pixels.ToArray();
        var worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.True(worst <= 1, $"largest difference from PIL is {worst}");
    }

    [Fact]
    public void Resizing_to_the_same_size_is_the_identity()
    {
        using var image = Formula13x9();
        using var same = ImagePreprocessor.Resize(image, new InputSpec { Width = 13, Height = 9 }, out _);
        Assert.True(image.Pixels.SequenceEqual(same.Pixels));
    }

    public static TheoryData<TensorLayout, ColorOrder, float[], float[]> NormalisedLayouts => new()
    {
        { TensorLayout.Nchw, ColorOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f] },
        { TensorLayout.Nhwc, ColorOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f] },
        { TensorLayout.Nchw, ColorOrder.Bgr, [0.5f], [0.5f] },
        { TensorLayout.Nhwc, ColorOrder.Bgr, [0.5f], [0.5f] },
        { TensorLayout.Nhwc, ColorOrder.Rgb, [0f], [1f] },
        { TensorLayout.Nchw, ColorOrder.Gray, [0.5f], [0.25f] },
    };

    [Theory]
    [MemberData(nameof(NormalisedLayouts))]
    public void Packed_and_normalised_elements_are_bit_identical_to_packing_then_normalising(TensorLayout layout, ColorOrder order, float[] mean, float[] std)
    {
        // 37×23 stretched to itself: the resize is the identity, so the reference is the source bytes packed into the
        // layout as floats and then normalised in place with the vector primitives, the two passes the one pass replaces.
        const int w = 37, h = 23;
        var rgb = new byte[3 * w * h];
        new Random(7).NextBytes(rgb);
        using var image = RgbImage.FromPixels(w, h, rgb);
        var spec = new InputSpec { Width = w, Height = h, Layout = layout, ColorOrder = order, Mean = mean, Std = std };
        var tensor = new float[ImagePreprocessor.TensorLength(spec)];
        ImagePreprocessor.WriteTensor(image, spec, tensor);

        var channels = order == ColorOrder.Gray ? 1 : 3;
        var expected = new float[channels * w * h];
        var a = new float[channels];
        var b = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            a[c] = spec.Scale / (std.Length == 1 ? std[0] : std[c]);
            b[c] = -(mean.Length == 1 ? mean[0] : mean[c]) / (std.Length == 1 ? std[0] : std[c]);
        }
        for (var p = 0; p < w * h; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                float v = channels == 1
                    ? (rgb[3 * p] * 19595 + rgb[3 * p + 1] * 38470 + rgb[3 * p + 2] * 7471 + 0x8000) >> 16
                    : rgb[3 * p + (order == ColorOrder.Bgr ? 2 - c : c)];
                expected[layout == TensorLayout.Nchw ? c * w * h + p : p * channels + c] = v;
            }
        }
        if (channels == 1 || (a.Distinct().Count() == 1 && b.Distinct().Count() == 1))
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(expected, a[0], expected);
            System.Numerics.Tensors.TensorPrimitives.Add(expected, b[0], expected);
        }
        else if (layout == TensorLayout.Nchw)
        {
            for (var c = 0; c < 3; c++)
            {
                var plane = expected.AsSpan(c * w * h, w * h);
                System.Numerics.Tensors.TensorPrimitives.Multiply(plane, a[c], plane);
                System.Numerics.Tensors.TensorPrimitives.Add(plane, b[c], plane);
            }
        }
        else
        {
            var pa = Enumerable.Range(0, 3 * w).Select(i => a[i % 3]).ToArray();
            var pb = Enumerable.Range(0, 3 * w).Select(i => b[i % 3]).ToArray();
            for (var y = 0; y < h; y++)
            {
                var row = expected.AsSpan(y * 3 * w, 3 * w);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row, pa, pb, row);
            }
        }
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(tensor[i]),
                $"element {i}: {tensor[i]:R}, expected {expected[i]:R}");
        }
    }

    [Fact]
    public void Real_photo_matches_the_torchvision_pil_pipeline()
    {
        // Reference figures from PIL 9.4 (Debian python3-pil), the pipeline torchvision classifiers were
        // evaluated with: Image.open(dog.jpg).convert("RGB") → resize((341, 256), BILINEAR) → crop((58, 16, 282, 240)).
        using var image = ImageDecoder.Decode(TestAssets.Image("darknet/dog.jpg"));
        Assert.Equal((57, 58, 50), image.GetPixel(0, 0));        // decoding is bit-identical to PIL's
        Assert.Equal((137, 67, 69), image.GetPixel(383, 287));
        Assert.Equal((50, 39, 35), image.GetPixel(767, 575));
        var spec = new InputSpec { Width = 224, Height = 224, Resize = ResizeMode.CenterCrop, ResizeShorterSide = 256 };
        using var crop = ImagePreprocessor.Resize(image, spec, out var t);
        Assert.Equal((-58f, -16f), (t.OffsetX, t.OffsetY));
        var expected = new (int X, int Y, int R, int G, int B)[]
        {
            (0, 0, 119, 130, 103), (50, 100, 30, 28, 24), (111, 111, 101, 42, 41), (200, 30, 252, 251, 252), (223, 223, 160, 161, 163),
        };
        foreach (var (x, y, r, g, b) in expected)
        {
            var p = crop.GetPixel(x, y);
            Assert.True(Math.Abs(p.R - r) <= 1 && Math.Abs(p.G - g) <= 1 && Math.Abs(p.B - b) <= 1, $"({x},{y}): {p} vs PIL ({r},{g},{b})");
        }
        double[] pilMeans = [131.16167, 130.26208, 113.18561];
        for (var c = 0; c < 3; c++)
        {
            var sum = 0L;
            for (var i = c; i < crop.Pixels.Length; i += 3) sum += crop.Pixels[i];
            Assert.Equal(pilMeans[c], sum / (224.0 * 224.0), 0.01);
        }
    }

    [Fact]
    public void Preprocessing_a_real_photo_is_thread_safe_and_deterministic()
    {
        using var image = ImageDecoder.Decode(TestAssets.Image("darknet/dog.jpg"));
        var spec = new InputSpec
        {
            Width = 224, Height = 224, Resize = ResizeMode.CenterCrop, ResizeShorterSide = 256,
            Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f],
        };
        var expected = new float[ImagePreprocessor.TensorLength(spec)];
        ImagePreprocessor.WriteTensor(image, spec, expected);
        Assert.InRange(expected.Average(), -2.2f, 2.7f);
        Assert.True(expected.Distinct().Count() > 100);
        var batch = new float[8 * expected.Length];
        Parallel.For(0, 8, i => ImagePreprocessor.WriteTensor(image, spec, batch.AsSpan(i * expected.Length, expected.Length)));
        for (var i = 0; i < 8; i++)
        {
            Assert.True(batch.AsSpan(i * expected.Length, expected.Length).SequenceEqual(expected), $"batch item {i} differs");
        }
    }
}
