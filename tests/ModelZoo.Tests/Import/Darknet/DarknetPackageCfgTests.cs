using ModelZoo.Catalog;
using ModelZoo.Import.Darknet;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Import.Darknet;

/// <summary>
/// Every cfg Debian's darknet package ships, with weights libdarknet writes for it, either imports (and the model's
/// outputs hold as many values as libdarknet's network output) or is refused with the code
/// <see cref="DarknetModelException.UnsupportedCode"/> naming a cfg line that is the unsupported section or option.
/// </summary>
public sealed class DarknetPackageCfgTests(ITestOutputHelper log)
{
    /// <summary>The cfgs with layers the importer does not translate, and the section it names.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["darknet9000.cfg"] = "[softmax]",
        ["go.cfg"] = "[reorg]",
        ["go.test.cfg"] = "[reorg]",
        ["gru.cfg"] = "[gru]",
        ["rnn.cfg"] = "[rnn]",
        ["rnn.train.cfg"] = "[rnn]",
        ["t1.test.cfg"] = "[detection]",
        ["yolo9000.cfg"] = "[region]",
        ["yolov1.cfg"] = "[local]",
        ["yolov1-tiny.cfg"] = "[detection]",
    };

    public static TheoryData<string> PackageCfgs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.Exists(DarknetReference.CfgFolder) ? Directory.GetFiles(DarknetReference.CfgFolder, "*.cfg") : [])
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Fact]
    public void The_package_ships_its_cfgs() =>
        Assert.True(PackageCfgs().Count >= 40, $"{DarknetReference.CfgFolder} holds too few cfgs: run scripts/install-test-deps.sh (it installs Debian's darknet package).");

    [Theory]
    [MemberData(nameof(PackageCfgs))]
    public void Cfg_imports_or_names_the_unsupported_layer(string name)
    {
        using var home = new TempHome();
        var (cfg, weights) = DarknetReference.WeightsOnly(DarknetReference.PackageCfg(name), home.Path);
        var outputs = long.Parse(File.ReadAllText(Path.Combine(home.Path, "outputs.bin")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        DarknetImportResult result;
        try
        {
            result = DarknetImporter.Import(cfg, weights);
        }
        catch (DarknetModelException ex)
        {
            log.WriteLine($"{name}: {ex.Message}");
            Assert.Equal(DarknetModelException.UnsupportedCode, ex.Code);
            Assert.True(Refused.TryGetValue(name, out var section), $"{name} was expected to import: {ex.Message}");
            var line = File.ReadAllLines(cfg)[ex.Line!.Value - 1];
            var header = ex.LayerType is { } t ? $"[{t}]" : "";
            Assert.Equal(section, header);
            Assert.Contains($"line {ex.Line}", ex.Message, StringComparison.Ordinal);
            Assert.True(line.Trim().StartsWith(section, StringComparison.Ordinal) || line.Contains('=', StringComparison.Ordinal),
                $"line {ex.Line} of {name} is '{line}', neither the section nor one of its options");
            return;
        }
        Assert.False(Refused.ContainsKey(name), $"{name} imports now; take it off the refused list");
        var last = result.Model.Outputs.Where(o => !o.Name.EndsWith("_anchors", StringComparison.Ordinal)).Last();
        Assert.Equal(outputs, last.Shape.Aggregate(1L, (n, d) => n * d.Value!.Value));
        AssertDescribed(name, cfg, result);
        log.WriteLine($"{name}: imported, {result.ParameterCount} parameters, outputs {string.Join(", ", result.Model.Outputs.Select(o => o.Name))}");
    }

    /// <summary>A detector names its decoder and a classifier its probabilities, both with Darknet's 0–1 input and
    /// nothing subtracted; any other network says nothing rather than guess.</summary>
    private void AssertDescribed(string name, string cfg, DarknetImportResult result)
    {
        var description = EmbeddedModelDescription.Read(result.Model.Metadata);
        Assert.Empty(description.Unreadable);
        var decoder = result.LayerCounts.ContainsKey("yolo") ? "darknet-yolo" : result.LayerCounts.ContainsKey("region") ? "darknet-region" : null;
        var lastLayer = File.ReadAllLines(cfg).Select(l => l.Trim()).Where(l => l.StartsWith('[') && l != "[cost]").Last();
        var classifier = decoder is null && lastLayer is "[softmax]" or "[soft]";
        var (width, height, channels) = result.InputSize;
        if ((decoder is null && !classifier) || channels is not (1 or 3) || width < 2)
        {
            Assert.Null(description.Task);
            return;
        }
        log.WriteLine($"{name}: described as {description.Task}, decoder {description.Output?.Decoder ?? "none"}");
        Assert.Equal(classifier ? ModelTask.ImageClassification : ModelTask.ObjectDetection, description.Task);
        Assert.Equal(decoder, description.Output?.Decoder);
        var input = Assert.IsType<InputSpec>(description.Input);
        Assert.Equal((width, height), (input.Width, input.Height));
        Assert.All(input.Mean, m => Assert.Equal(0f, m));
        Assert.All(input.Std, s => Assert.Equal(1f, s));
        Assert.Equal(1f / 255f, input.Scale);
        Assert.Equal(classifier ? ResizeMode.CenterCrop : ResizeMode.Letterbox, input.Resize);
        Assert.Null(description.Labels);
    }
}
