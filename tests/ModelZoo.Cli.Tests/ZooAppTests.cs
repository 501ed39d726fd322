using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests;

public sealed class ZooAppTests
{
    [Fact]
    public void List_json_prints_every_card_with_handle_task_license_and_files()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "list", "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var cards = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(ModelCatalog.LoadBuiltin().Cards.Count, cards.Count);
        foreach (var card in cards)
        {
            Assert.False(string.IsNullOrEmpty(card.GetProperty("handle").GetString()));
            Assert.False(string.IsNullOrEmpty(card.GetProperty("task").GetString()));
            Assert.False(string.IsNullOrEmpty(card.GetProperty("license").GetProperty("spdx").GetString()));
            foreach (var file in card.GetProperty("files").EnumerateArray())
            {
                Assert.Matches("^[0-9a-f]{64}$", file.GetProperty("sha256").GetString());
                Assert.True(file.GetProperty("size").GetInt64() > 0);
                Assert.False(string.IsNullOrEmpty(file.GetProperty("source").GetString()));
            }
        }
    }

    [Fact]
    public void List_filters_by_task_and_license()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "list", "--task", "image-feature-vector", "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.All(doc.RootElement.EnumerateArray(), c => Assert.Equal("image-feature-vector", c.GetProperty("task").GetString()));
        Assert.Contains(doc.RootElement.EnumerateArray(), c => c.GetProperty("handle").GetString() == "imagenet/resnet18/feature_vector");

        var mit = CliRunner.Run(home.Settings(offline: true), "list", "--license", "MIT", "--json");
        using var mitDoc = JsonDocument.Parse(mit.Output);
        Assert.NotEmpty(mitDoc.RootElement.EnumerateArray());
        Assert.All(mitDoc.RootElement.EnumerateArray(), c => Assert.Equal("MIT", c.GetProperty("license").GetProperty("spdx").GetString()));

        var table = CliRunner.Run(home.Settings(offline: true), "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("imagenet/resnet18/feature_vector", table.Console);
    }

    [Fact]
    public void Version_prints_the_package_version()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", result.Output.Trim());
        Assert.Equal(typeof(ModelZoo.Cli.ZooApp).Assembly.GetName().Version!.ToString(3), result.Output.Trim().Split('-')[0]);
    }

    [Fact]
    public void Unknown_task_is_a_usage_error_listing_the_valid_tasks()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "list", "--task", "teleportation");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("image-classification", result.AllText);
    }

    [Fact]
    public void Unknown_option_and_missing_argument_are_usage_errors()
    {
        using var home = new TempHome();
        Assert.Equal(2, CliRunner.Run(home.Settings(offline: true), "list", "--no-such-option").ExitCode);
        Assert.Equal(2, CliRunner.Run(home.Settings(offline: true), "info").ExitCode);
        var npy = CliRunner.Run(home.Settings(offline: true), "embed", "imagenet/resnet18/feature_vector", "samples", "--format", "npy");
        Assert.Equal(2, npy.ExitCode);
        Assert.Contains("--out", npy.AllText);
    }

    [Fact]
    public void Unknown_handle_fails_with_a_suggestion_and_no_stack_trace()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "info", "imagenet/resnet18/feature_vectr");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("imagenet/resnet18/feature_vector", result.AllText);
        Assert.DoesNotContain("   at ", result.Status);

        var verbose = CliRunner.Run(home.Settings(offline: true), "info", "imagenet/resnet18/feature_vectr", "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("at ", verbose.Status);
    }

    [Fact]
    public void Info_shows_restricted_licences_prominently()
    {
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var builtin = ModelCatalog.LoadBuiltin().Get(MobileNetStore.Handle);
        var gpl = builtin with
        {
            Handle = "local/gpl-test",
            License = new LicenseInfo { Spdx = "GPL-3.0-only", Restrictions = ["derivative works must be GPL-3.0"] },
        };
        ModelCatalog.Load(settings).Register(gpl, settings);
        var result = CliRunner.Run(settings, "info", "local/gpl-test");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("read before use", result.Console);
        Assert.Contains("derivative works must be GPL-3.0", result.Console);
        var list = CliRunner.Run(settings, "list", "gpl-test");
        Assert.Contains("GPL-3.0-only !", list.Console);
    }

    [Fact]
    public async Task Classify_works_offline_once_pulled_and_prints_the_documented_json()
    {
        using var home = new TempHome();
        await MobileNetStore.PullAsync(home.Settings());
        var cat = TestAssets.Image("skimage/chelsea.png");
        var result = CliRunner.Run(home.Settings(offline: true), "classify", MobileNetStore.Handle, cat, "--top", "3", "--json");
        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var entry = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(cat, entry.GetProperty("image").GetString());
        var predictions = entry.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(3, predictions.Count);
        Assert.All(predictions, p =>
        {
            Assert.False(string.IsNullOrEmpty(p.GetProperty("label").GetString()));
            Assert.InRange(p.GetProperty("score").GetSingle(), 0f, 1f);
        });
        Assert.Contains(predictions, p => p.GetProperty("index").GetInt32() is >= 281 and <= 285);
    }

    [Fact]
    public async Task Verify_names_a_corrupted_file_and_exits_1()
    {
        using var home = new TempHome();
        var model = await MobileNetStore.PullAsync(home.Settings());
        var ok = CliRunner.Run(home.Settings(offline: true), "verify", MobileNetStore.Handle);
        Assert.Equal(0, ok.ExitCode);

        var path = model.ModelPath;
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.SetAttributes(path, FileAttributes.Normal);
        await File.WriteAllBytesAsync(path, bytes);

        var bad = CliRunner.Run(home.Settings(offline: true), "verify");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains(model.Card.ModelFile.Name, bad.AllText);
        Assert.Contains("FAILED", bad.AllText);
    }

    [Fact]
    public void Pull_in_offline_mode_names_the_variable_to_unset()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "pull", MobileNetStore.Handle);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ZOO_OFFLINE", result.AllText);
    }

    [Fact]
    public void Embed_prints_one_512_vector_per_image_as_json_and_csv()
    {
        var settings = SharedStore.Settings;
        var dog = TestAssets.Image("darknet/dog.jpg");
        var person = TestAssets.Image("darknet/person.jpg");
        var json = CliRunner.Run(settings, "embed", "imagenet/resnet18/feature_vector", dog, person, "--batch", "2");
        Assert.True(json.ExitCode == 0, json.AllText);
        using var doc = JsonDocument.Parse(json.Output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal([dog, person], rows.Select(r => r.GetProperty("image").GetString()));
        Assert.All(rows, r => Assert.Equal(512, r.GetProperty("vector").GetArrayLength()));

        var csvPath = Path.Combine(Path.GetTempPath(), $"zoo-embed-{Guid.NewGuid():N}.csv");
        try
        {
            var csv = CliRunner.Run(settings, "embed", "imagenet/resnet18/feature_vector", dog, "--format", "csv", "--out", csvPath);
            Assert.Equal(0, csv.ExitCode);
            var lines = File.ReadAllLines(csvPath);
            Assert.Equal(2, lines.Length);
            Assert.Equal(513, lines[0].Split(',').Length);
            var first = rows[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var fromCsv = lines[1].Split(',').Skip(1).Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(first, fromCsv);
        }
        finally
        {
            File.Delete(csvPath);
        }
    }

    public static TheoryData<string> Commands() => new()
    {
        "list", "info", "pull", "verify", "rm", "gc", "embed", "embed-text", "similar", "classify", "train", "evaluate", "headless",
        "detect", "pose", "faces", "segment", "ocr", "serve",
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_prints_its_help(string command)
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), command, "--help");
        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("USAGE", result.AllText);
    }
}
