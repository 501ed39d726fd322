using System.Text.Json;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Tasks.Ocr;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class OcrCommandTests
{
    [Fact]
    public void Ocr_prints_lines_as_json_saves_annotated_images_and_reports_a_corrupt_file()
    {
        var settings = SharedStore.Settings;
        var folder = Path.Combine(Path.GetTempPath(), "zoo-ocr-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var sign = Path.Combine(folder, "sign.png");
            using (var sample = TextImageRenderer.Render("sign", ["Hotel Central", "Room 314"], "DejaVuSans.ttf", 32, 1f,
                TestAssets.Image("darknet/giraffe.jpg"), seed: 5))
            {
                sample.SavePng(sign);
            }
            var broken = Path.Combine(folder, "broken.png");
            File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0]);
            var cat = TestAssets.Image("skimage/chelsea.png");
            var annotated = Path.Combine(folder, "annotated");

            var result = CliRunner.Run(settings, "ocr", "ocr/ppocrv4", sign, cat, broken, "--json", "--save", annotated);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("broken.png", result.Status);
            using var json = JsonDocument.Parse(result.Output);
            var images = json.RootElement.EnumerateArray().ToList();
            Assert.Equal([sign, cat], images.Select(i => i.GetProperty("image").GetString()));
            var lines = images[0].GetProperty("lines").EnumerateArray().ToList();
            Assert.Equal(2, lines.Count);
            // The recogniser may confuse o and 0 next to digits; one character per line is within its error rate.
            Assert.True(CharacterErrorRate.Errors("Hotel Central", lines[0].GetProperty("text").GetString()!) <= 1, lines[0].GetProperty("text").GetString());
            Assert.True(CharacterErrorRate.Errors("Room 314", lines[1].GetProperty("text").GetString()!) <= 1, lines[1].GetProperty("text").GetString());
            var polygon = lines[0].GetProperty("polygon").EnumerateArray().ToList();
            Assert.Equal(4, polygon.Count);
            Assert.All(polygon, p => Assert.Equal(2, p.GetArrayLength()));
            Assert.InRange(lines[0].GetProperty("confidence").GetDouble(), 0.5, 1.0);
            var words = lines[0].GetProperty("words").EnumerateArray().Select(w => w.GetProperty("text").GetString()).ToList();
            Assert.Equal(2, words.Count);
            Assert.Empty(images[1].GetProperty("lines").EnumerateArray());

            var png = Path.Combine(annotated, "sign.png");
            Assert.True(File.Exists(png), "annotated image missing");
            using var drawn = ModelZoo.Imaging.ImageDecoder.Decode(png);
            using var original = ModelZoo.Imaging.ImageDecoder.Decode(sign);
            Assert.Equal((original.Width, original.Height), (drawn.Width, drawn.Height));
            Assert.False(drawn.Pixels.SequenceEqual(original.Pixels), "nothing was drawn on the annotated image");
            Assert.True(File.Exists(Path.Combine(annotated, "chelsea.png")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Ocr_without_a_handle_uses_the_default_pipeline_and_prints_a_table()
    {
        var settings = SharedStore.Settings;
        var folder = Path.Combine(Path.GetTempPath(), "zoo-ocr-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var sign = Path.Combine(folder, "exit.png");
            using (var sample = TextImageRenderer.Render("exit", ["Fire exit"], "DejaVuSans-Bold.ttf", 40, -2f,
                TestAssets.Image("darknet/kite.jpg"), seed: 9))
            {
                sample.SavePng(sign);
            }
            var result = CliRunner.Run(settings, "ocr", sign);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Fire exit", result.Console);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Ocr_help_renders_its_arguments_and_options()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "ocr", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[HANDLE]", result.AllText);
        Assert.Contains("--save", result.AllText);
        Assert.Contains("--json", result.AllText);
    }

    [Fact]
    public void Ocr_with_only_an_unreadable_file_fails_with_the_reason()
    {
        var settings = SharedStore.Settings;
        var empty = Path.Combine(Path.GetTempPath(), "zoo-ocr-empty-" + Guid.NewGuid().ToString("N")[..8] + ".jpg");
        File.WriteAllBytes(empty, []);
        try
        {
            var result = CliRunner.Run(settings, "ocr", empty, "--json");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("empty", result.AllText);
        }
        finally
        {
            File.Delete(empty);
        }
    }
}
