using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Tasks.Ocr;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks.Ocr;

public sealed class TextSpotterTests(OcrFixture fixture, ITestOutputHelper output) : IClassFixture<OcrFixture>
{
    [Fact]
    public void Default_pipeline_is_the_three_PP_OCR_cards_and_their_specs_fit_the_real_models()
    {
        Assert.Equal("ocr/ppocrv4/det", fixture.Models.Detector.Handle);
        Assert.Equal("ocr/ppocrv4/rec", fixture.Models.Recognizer.Handle);
        Assert.Equal("ocr/ppocr_mobile_v2/cls", fixture.Models.DirectionClassifier!.Handle);
        foreach (var model in fixture.Local)
        {
            using var session = ModelSession.Open(model.ModelPath);
            var input = Assert.Single(session.Inputs, i => i.Name == model.Card.Input!.Name);
            var spec = model.Card.Input!;
            Assert.Equal(4, input.Shape.Count);
            Assert.Equal(3, input.Shape[1]);
            // Fixed model dimensions must equal the card's; dynamic ones (-1) take the card's (or the pipeline's) size.
            Assert.True(input.Shape[2] < 0 || input.Shape[2] == spec.Height, $"{model.Card.Handle} height {input.Shape[2]} vs card {spec.Height}");
            Assert.True(input.Shape[3] < 0 || input.Shape[3] == spec.Width, $"{model.Card.Handle} width {input.Shape[3]} vs card {spec.Width}");
            Assert.Contains(session.Outputs, o => o.Name == model.Card.Output!.Name);
        }
        // The recogniser's height is fixed by the model; the detector's map size follows the input.
        using var rec = ModelSession.Open(fixture.Local[1].ModelPath);
        Assert.Equal(48, rec.Inputs[0].Shape[2]);
        Assert.Equal(6625, rec.Outputs[0].Shape[2]);
    }

    [Fact]
    public void Rendered_sign_lines_are_read_with_a_character_error_rate_under_five_percent()
    {
        var set = TextImageRenderer.SingleLineSet(TestAssets.Image);
        int errors = 0, characters = 0;
        try
        {
            foreach (var sample in set)
            {
                using var image = sample.ToImage();
                var result = fixture.Spotter.Read(image);
                var expected = string.Join(' ', sample.Lines);
                var read = string.Join(' ', result.Lines.Select(l => l.Text));
                var e = CharacterErrorRate.Errors(expected, read);
                errors += e;
                characters += CharacterErrorRate.Length(expected);
                output.WriteLine($"{sample.Name} {sample.Font} {sample.Size}px {sample.Angle:+0.0;-0.0}°: '{read}' ({e} errors)");
            }
        }
        finally
        {
            set.ForEach(s => s.Dispose());
        }
        var cer = (double)errors / characters;
        output.WriteLine($"CER {cer:P2} ({errors}/{characters})");
        Assert.True(cer <= 0.05, $"character error rate {cer:P2} ({errors} of {characters}) is above 5%");
    }

    [Fact]
    public void A_photographed_book_page_is_read_line_by_line_in_order()
    {
        // scikit-image's page.png: a small (384x192) photo of a printed page with uneven lighting.
        string[] expected =
        [
            "Region-based segmentation",
            "Let us first determine markers of the coins and the",
            "background. These markers are pixels that we can label",
            "unambiguously as either object or background. Here,",
            "the markers are found at the two extreme parts of the",
            "histogram of grey values:",
        ];
        using var page = ImageDecoder.Decode(TestAssets.Image("skimage/page.png"));

        // With PaddleOCR's default box threshold (0.6) the two dimmest lines score 0.50-0.56 in the detector's map and
        // are dropped; every line that is kept is a real line, in order.
        var kept = fixture.Spotter.Read(page).Lines.Select(l => l.Text).ToList();
        Assert.True(kept.Count >= 4, string.Join(" | ", kept));
        var positions = kept.Take(4).Select(text => Array.FindIndex(expected, e => CharacterErrorRate.Errors(e, text) <= 0.2 * e.Length)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);

        // With a box threshold of 0.5 all six lines come back in reading order. The direction classifier is sure of a
        // wrong turn on one of the long lines; reading turned lines both ways keeps that line right.
        using var lenient = TextSpotter.Open(fixture.Local[0], fixture.Local[1], fixture.Local[2], new TextSpotterOptions { BoxThreshold = 0.5f });
        var lines = lenient.Read(page).Lines;
        Assert.True(lines.Count >= expected.Length, string.Join(" | ", lines.Select(l => l.Text)));
        var read = lines.Take(expected.Length).Select(l => l.Text).ToList();
        var errors = expected.Zip(read).Sum(pair => CharacterErrorRate.Errors(pair.First, pair.Second));
        var cer = (double)errors / expected.Sum(CharacterErrorRate.Length);
        output.WriteLine(string.Join("\n", read) + $"\nCER {cer:P2}");
        Assert.True(cer <= 0.05, $"CER {cer:P2}: {string.Join(" | ", read)}");
    }

    [Fact]
    public void A_photo_without_text_gives_no_lines()
    {
        using var cat = ImageDecoder.Decode(TestAssets.Image("skimage/chelsea.png"));
        var result = fixture.Spotter.Read(cat);
        Assert.Empty(result.Lines);
        Assert.Equal("", result.Text);
    }

    [Fact]
    public void A_three_line_paragraph_comes_back_in_reading_order_with_words_inside_their_lines()
    {
        string[] lines = ["Opening hours", "Monday to Friday 8 to 18", "Saturday 9 to 13"];
        using var sample = TextImageRenderer.Render("paragraph", lines, "DejaVuSans.ttf", 32, 1.5f,
            TestAssets.Image("darknet/horses.jpg"), seed: 7);
        using var image = sample.ToImage();
        var result = fixture.Spotter.Read(image);
        Assert.Equal(3, result.Lines.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(CharacterErrorRate.Errors(lines[i], result.Lines[i].Text) <= 2, $"line {i}: '{result.Lines[i].Text}' vs '{lines[i]}'");
            Assert.InRange(result.Lines[i].Confidence, 0.5f, 1f);
        }
        // Top to bottom.
        var centres = result.Lines.Select(l => l.Polygon.Average(p => p.Y)).ToList();
        Assert.True(centres[0] < centres[1] && centres[1] < centres[2], string.Join(", ", centres));

        var middle = result.Lines[1];
        Assert.Equal(4, middle.Polygon.Count);
        Assert.Equal(middle.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries), middle.Words.Select(w => w.Text));
        float minX = middle.Polygon.Min(p => p.X) - 2, maxX = middle.Polygon.Max(p => p.X) + 2;
        float minY = middle.Polygon.Min(p => p.Y) - 2, maxY = middle.Polygon.Max(p => p.Y) + 2;
        var previousLeft = float.NegativeInfinity;
        foreach (var word in middle.Words)
        {
            Assert.NotNull(word.Polygon);
            Assert.All(word.Polygon!, p => Assert.True(p.X >= minX && p.X <= maxX && p.Y >= minY && p.Y <= maxY, $"{word.Text} {p}"));
            var left = word.Polygon!.Min(p => p.X);
            Assert.True(left > previousLeft, $"word '{word.Text}' starts left of the previous word");
            previousLeft = left;
        }
        // Polygons are in original pixels: inside the image.
        Assert.All(result.Lines.SelectMany(l => l.Polygon), p => Assert.True(p.X >= 0 && p.X <= image.Width && p.Y >= 0 && p.Y <= image.Height));
    }

    [Fact]
    public void Upside_down_text_is_turned_by_the_direction_classifier()
    {
        using var sample = TextImageRenderer.Render("flipped", ["Welcome to Berlin"], "DejaVuSans-Bold.ttf", 40, 180f,
            TestAssets.Image("skimage/coffee.png"), seed: 3);
        using var image = sample.ToImage();
        var line = Assert.Single(fixture.Spotter.Read(image).Lines);
        Assert.True(CharacterErrorRate.Errors("Welcome to Berlin", line.Text) <= 1, line.Text);
    }

    [Fact]
    public async Task Files_that_are_empty_or_corrupt_give_per_image_errors_and_the_rest_are_read()
    {
        var folder = Path.Combine(Path.GetTempPath(), "zoo-ocr-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var good = Path.Combine(folder, "sign.png");
            using (var sample = TextImageRenderer.Render("sign", ["Platform 7"], "DejaVuSans.ttf", 36, 0f, TestAssets.Image("darknet/dog.jpg"), seed: 1))
            {
                sample.SavePng(good);
            }
            var empty = Path.Combine(folder, "empty.png");
            File.WriteAllBytes(empty, []);
            var corrupt = Path.Combine(folder, "corrupt.jpg");
            File.WriteAllBytes(corrupt, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
            var outcomes = new List<ModelZoo.Tasks.ImageOutcome<OcrResult>>();
            await foreach (var outcome in fixture.Spotter.ReadFilesAsync([empty, good, corrupt]))
            {
                outcomes.Add(outcome);
            }
            Assert.Equal([empty, good, corrupt], outcomes.Select(o => o.Path));
            Assert.Equal(ImageDecodeException.EmptyCode, outcomes[0].Error?.Code);
            Assert.NotNull(outcomes[2].Error);
            Assert.True(outcomes[1].Succeeded);
            Assert.Equal("Platform 7", CharacterErrorRate.Normalize(outcomes[1].Value!.Text));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
