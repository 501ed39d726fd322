using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Tests.Tasks.Ocr;

public sealed class OcrDecoderTests
{
    [Fact]
    public void Min_area_rect_of_a_rotated_rectangle_of_pixels_recovers_its_sides_and_angle()
    {
        // A 60 x 12 rectangle turned by 20 degrees, rasterised.
        var angle = 20 * Math.PI / 180;
        double ux = Math.Cos(angle), uy = Math.Sin(angle);
        var points = new List<(int X, int Y)>();
        for (var y = 0; y < 100; y++)
        {
            for (var x = 0; x < 100; x++)
            {
                double dx = x - 50, dy = y - 50;
                double u = dx * ux + dy * uy, v = -dx * uy + dy * ux;
                if (Math.Abs(u) <= 30 && Math.Abs(v) <= 6) points.Add((x, y));
            }
        }
        var rect = ConvexGeometry.MinAreaRect(ConvexGeometry.Hull(points));
        var (longSide, shortSide) = (Math.Max(rect.Width, rect.Height), Math.Min(rect.Width, rect.Height));
        Assert.InRange(longSide, 58, 61);
        Assert.InRange(shortSide, 10.5, 13);
        Assert.InRange(rect.CenterX, 49, 51);
        Assert.InRange(rect.CenterY, 49, 51);
        var axisAngle = Math.Atan2(rect.AxisY, rect.AxisX) * 180 / Math.PI;
        var folded = ((axisAngle % 90) + 90) % 90; // the rectangle's axes modulo a quarter turn
        Assert.True(Math.Abs(folded - 20) < 2 || Math.Abs(folded - 20 - 90) < 2 || Math.Abs(folded + 70) < 2, $"axis at {axisAngle}°");
    }

    [Fact]
    public void Corners_come_top_left_first_and_clockwise_on_screen()
    {
        var rect = new RotatedRect(50, 20, 80, 10, Math.Cos(0.05), Math.Sin(0.05));
        var c = rect.Corners();
        Assert.True(c[0].X < c[1].X && c[3].X < c[2].X, "left corners first");
        Assert.True(c[0].Y < c[3].Y && c[1].Y < c[2].Y, "top corners above bottom ones");
    }

    [Fact]
    public void Db_decoding_finds_one_box_per_blob_grown_by_the_unclip_distance_and_drops_weak_ones()
    {
        const int w = 64, h = 32;
        var map = new float[w * h];
        void Fill(int x0, int y0, int x1, int y1, float value)
        {
            for (var y = y0; y <= y1; y++) for (var x = x0; x <= x1; x++) map[y * w + x] = value;
        }
        Fill(4, 4, 43, 11, 0.9f);   // strong 40 x 8 kernel
        Fill(4, 20, 43, 27, 0.45f); // above the binary threshold but below the box threshold
        var boxes = DbPostProcessor.Decode(map, w, h, 2 * w, 2 * h, new TextSpotterOptions());
        var (box, score) = Assert.Single(boxes);
        Assert.InRange(score, 0.85f, 0.91f);
        // Pixel centres span 39 x 7; unclip distance = 39*7*1.5 / (2*(39+7)) = 4.45; scaled by 2 to the image.
        var d = 39.0 * 7 * 1.5 / (2 * (39 + 7));
        Assert.Equal(2 * (39 + 2 * d), Math.Max(box.Width, box.Height), 1);
        Assert.Equal(2 * (7 + 2 * d), Math.Min(box.Width, box.Height), 1);
        Assert.Equal(2 * 23.5, box.CenterX, 1);
        Assert.Equal(2 * 7.5, box.CenterY, 1);
    }

    [Fact]
    public void Ctc_greedy_decoding_collapses_repeats_drops_blanks_and_maps_the_last_class_to_space()
    {
        string[] keys = ["a", "b", "c"];
        const int classes = 5; // blank, a, b, c, space
        int[] path = [1, 1, 0, 1, 2, 4, 4, 3, 0, 0];
        var probabilities = new float[path.Length * classes];
        for (var t = 0; t < path.Length; t++)
        {
            for (var c = 0; c < classes; c++) probabilities[t * classes + c] = c == path[t] ? 0.8f : 0.05f;
        }
        var decoded = new CtcDecoder(keys, 1).Decode(probabilities, path.Length, classes);
        Assert.Equal("aab c", string.Concat(decoded.Select(c => c.Text)));
        Assert.Equal([0, 3, 4, 5, 7], decoded.Select(c => c.Step));
        Assert.All(decoded, c => Assert.Equal(0.8f, c.Probability));
    }

    [Fact]
    public void Pipeline_handles_resolve_to_detector_recognizer_and_classifier_cards()
    {
        var catalog = ModelCatalog.LoadBuiltin();
        var models = TextSpotterModels.Resolve(catalog);
        Assert.Equal(["ocr/ppocrv4/det", "ocr/ppocrv4/rec", "ocr/ppocr_mobile_v2/cls"], models.Cards.Select(c => c.Handle));
        Assert.Equal(models, TextSpotterModels.Resolve(catalog, "ocr/ppocrv4/rec"));
        Assert.Equal(models, TextSpotterModels.Resolve(catalog, "ocr/ppocrv4/"));
        Assert.Throws<ZooUsageException>(() => TextSpotterModels.Resolve(catalog, "ocr/ppocr_mobile_v2/cls"));
        var missing = Assert.Throws<ModelNotFoundException>(() => TextSpotterModels.Resolve(catalog, "ocr/ppocrv9"));
        Assert.Equal("ocr/ppocrv4", missing.Suggestion);
    }

    [Fact]
    public void Limit_side_spec_scales_down_to_multiples_of_32_and_never_up()
    {
        var spec = new InputSpec { Width = 960, Height = 960, Resize = ResizeMode.LimitSide, SizeMultiple = 32 };
        var big = ImagePreprocessor.ForImage(spec, 1920, 1080);
        Assert.Equal((960, 544), (big.Width, big.Height)); // 1080 * 0.5 = 540 -> 544
        Assert.Equal(ResizeMode.Stretch, big.Resize);
        var small = ImagePreprocessor.ForImage(spec, 300, 70);
        Assert.Equal((288, 64), (small.Width, small.Height));
        var tiny = ImagePreprocessor.ForImage(spec, 10, 5);
        Assert.Equal((32, 32), (tiny.Width, tiny.Height));
        var error = Assert.Throws<ZooException>(() => ImagePreprocessor.TensorLength(spec));
        Assert.Equal("input-size-dynamic", error.Code);
    }

    [Fact]
    public void Detector_input_brings_small_images_up_to_the_limit_by_at_most_the_largest_upscale()
    {
        var spec = new InputSpec { Width = 960, Height = 960, Resize = ResizeMode.LimitSide, SizeMultiple = 32 };
        var options = new TextSpotterOptions { UpscaleSmallImages = true };
        var page = TextSpotter.DetectorInput(spec, 384, 191, options);
        Assert.Equal((960, 480), (page.Width, page.Height)); // x2.5: 477.5 -> 477 -> 480
        var strip = TextSpotter.DetectorInput(spec, 100, 20, options);
        Assert.Equal((384, 64), (strip.Width, strip.Height)); // capped at x4: 400 x 80, halves rounded to even multiples
        Assert.Equal((960, 544), (TextSpotter.DetectorInput(spec, 1920, 1080, options).Width, TextSpotter.DetectorInput(spec, 1920, 1080, options).Height));
        var reference = TextSpotter.DetectorInput(spec, 384, 191, new TextSpotterOptions());
        Assert.Equal((384, 192), (reference.Width, reference.Height));
    }

    [Fact]
    public void A_curved_line_fails_the_rectangle_score_and_passes_the_region_score()
    {
        // A text kernel 7 px thick arching 12 px over 120 px, as a line does near a book's spine.
        const int w = 140, h = 40;
        var map = new float[w * h];
        for (var x = 10; x < 130; x++)
        {
            var centre = 10 + 12 * Math.Sin(Math.PI * (x - 10) / 120.0);
            for (var y = 0; y < h; y++)
            {
                if (Math.Abs(y - centre) <= 3) map[y * w + x] = 0.95f;
            }
        }
        var slow = DbPostProcessor.Decode(map, w, h, w, h, new TextSpotterOptions { ScoreMode = DbScoreMode.Slow });
        Assert.InRange(Assert.Single(slow).Score, 0.9f, 1f);
        var fast = DbPostProcessor.Decode(map, w, h, w, h, new TextSpotterOptions { ScoreMode = DbScoreMode.Fast });
        Assert.Empty(fast);
    }

    [Fact]
    public void Pad_right_keeps_the_aspect_ratio_at_the_left_and_pads_the_rest()
    {
        var spec = new InputSpec { Width = 40, Height = 4, Resize = ResizeMode.PadRight, PadValue = 128, Scale = 1f };
        var pixels = new byte[3 * 20 * 8];
        Array.Fill(pixels, (byte)10);
        using var image = RgbImage.FromPixels(20, 8, pixels);
        var tensor = new float[ImagePreprocessor.TensorLength(spec)];
        var transform = ImagePreprocessor.WriteTensor(image, spec, tensor);
        Assert.Equal(0.5f, transform.ScaleX);
        Assert.Equal(0f, transform.OffsetX);
        for (var x = 0; x < 40; x++)
        {
            Assert.Equal(x < 10 ? 10f : 128f, tensor[x]);
        }
    }
}
