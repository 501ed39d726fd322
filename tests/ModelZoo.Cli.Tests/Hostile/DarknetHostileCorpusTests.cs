using System.Buffers.Binary;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile Darknet models, generated here: a small valid cfg (one convolution with batch norm, a maxpool, a YOLO
/// layer) and a weights file of exactly its size, with one thing broken, run through <c>zoo import darknet</c>. Every
/// case ends in a one-line error naming what is wrong (the cfg line where there is one), exit 1 or 2, no stack trace,
/// and no ONNX file or folder written.
/// </summary>
public sealed class DarknetHostileCorpusTests(ITestOutputHelper log)
{
    private const string Cfg = """
        [net]
        width=8
        height=8
        channels=3

        [convolutional]
        batch_normalize=1
        filters=14
        size=3
        stride=1
        pad=1
        activation=leaky

        [maxpool]
        size=2
        stride=2

        [yolo]
        mask=0,1
        anchors=10,14, 23,27, 37,58
        classes=2
        num=3
        """;

    /// <summary>14 biases, 3 × 14 batch-norm values, 14 × 3 × 3 × 3 filter values.</summary>
    private const int Floats = 14 + 3 * 14 + 14 * 27;

    private static readonly Dictionary<string, (Action<Case> Break, string[] Mentions)> Cases = new()
    {
        ["weights-truncated"] = (c => c.Weights = c.Weights![..(c.Weights.Length - 40)], ["model.weights", "[convolutional] at line 6", "truncated"]),
        ["weights-header-only"] = (c => c.Weights = c.Weights![..20], ["model.weights", "truncated"]),
        ["weights-shorter-than-header"] = (c => c.Weights = c.Weights![..10], ["10 bytes", "header"]),
        ["weights-empty"] = (c => c.Weights = [], ["model.weights", "empty"]),
        ["weights-too-long"] = (c => c.Weights = [.. c.Weights!, .. new byte[64]], ["64 bytes left", "different cfg"]),
        ["weights-negative-version"] = (c => BinaryPrimitives.WriteInt32LittleEndian(c.Weights!, -5), ["-5.2.0", "header"]),
        ["weights-missing"] = (c => c.Weights = null, ["model.weights", "does not exist"]),
        ["weights-is-fifo"] = (c => c.AfterWrite = () => Fifo.Replace(c.WeightsPath), ["model.weights", "not a regular file"]),
        ["cfg-missing"] = (c => c.Text = null, ["model.cfg", "does not exist"]),
        ["cfg-empty"] = (c => c.Text = "", ["model.cfg", "empty"]),
        ["cfg-binary"] = (c => c.RawCfg = [0x89, 0x50, 0x4e, 0x47, 0x00, 0x01], ["binary", "cfg comes first"]),
        ["cfg-no-net"] = (c => c.Replace("[net]", "[convolutional]"), ["[net]"]),
        ["cfg-only-net"] = (c => c.Text = "[net]\nwidth=8\nheight=8\nchannels=3\n", ["no layers"]),
        ["cfg-unknown-layer"] = (c => c.Replace("[maxpool]", "[lstm]"), ["line 14", "[lstm]"]),
        ["cfg-misspelled-layer"] = (c => c.Replace("[maxpool]", "[maxpol]"), ["line 14", "[maxpol]"]),
        ["cfg-unclosed-section"] = (c => c.Replace("[maxpool]", "[maxpool"), ["line 14", "[maxpool"]),
        ["cfg-line-without-equals"] = (c => c.Replace("stride=1", "stride 1 please"), ["line 10", "stride1please"]),
        ["cfg-filters-text"] = (c => c.Replace("filters=14", "filters=fourteen"), ["filters=fourteen", "line 8"]),
        ["cfg-filters-zero"] = (c => c.Replace("filters=14", "filters=0"), ["filters=0", "line 8", "positive"]),
        ["cfg-filters-huge"] = (c => c.Replace("filters=14", "filters=2000000000"), ["[convolutional] at line 6", "truncated"]),
        ["cfg-size-negative"] = (c => c.Replace("size=3", "size=-3"), ["size=-3", "positive"]),
        ["cfg-stride-overflow"] = (c => c.Replace("stride=1", "stride=99999999999"), ["stride=99999999999", "not an integer"]),
        ["cfg-groups-not-dividing"] = (c => c.Replace("pad=1", "pad=1\ngroups=2"), ["groups=2", "does not divide"]),
        ["cfg-kernel-larger-than-input"] = (c => { c.Replace("pad=1", "pad=0"); c.Replace("size=3", "size=30"); }, ["empty output"]),
        ["cfg-width-missing"] = (c => c.Replace("width=8", ""), ["width, height and channels"]),
        ["cfg-width-negative"] = (c => c.Replace("width=8", "width=-8"), ["width, height and channels"]),
        ["cfg-unknown-activation"] = (c => c.Replace("activation=leaky", "activation=swish"), ["line 12", "swish"]),
        ["cfg-yolo-channels-wrong"] = (c => c.Replace("classes=2", "classes=3"), ["[yolo] at line 18", "input channels"]),
        ["cfg-yolo-mask-out-of-range"] = (c => c.Replace("mask=0,1", "mask=0,7"), ["mask", "anchors 0 to 2"]),
        ["cfg-anchors-too-few"] = (c => c.Replace("anchors=10,14, 23,27, 37,58", "anchors=10,14"), ["anchors", "needs 6"]),
        ["cfg-anchors-text"] = (c => c.Replace("anchors=10,14,", "anchors=10,x,"), ["'x'", "not a number"]),
        ["cfg-route-forward"] = (c => c.Replace("[maxpool]", "[route]\nlayers=3\n\n[maxpool]"), ["layers", "names layer 3"]),
        ["cfg-route-before-input"] = (c => c.Replace("[maxpool]", "[route]\nlayers=-9\n\n[maxpool]"), ["layers", "names layer -8"]),
        ["cfg-shortcut-no-from"] = (c => c.Replace("[maxpool]", "[shortcut]\n\n[maxpool]"), ["no 'from'"]),
        ["cfg-second-net"] = (c => c.Replace("[maxpool]", "[net]\n\n[maxpool]"), ["second [net]"]),
        ["cfg-binary-conv"] = (c => c.Replace("pad=1", "pad=1\nxnor=1"), ["xnor", "line 12"]),
        ["cfg-and-weights-swapped"] = (c => c.Swap = true, ["binary", "cfg comes first"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_darknet_model_ends_in_a_clean_error_and_writes_nothing(string name)
    {
        if (name is "weights-is-fifo" && OperatingSystem.IsWindows())
        {
            Assert.Fail("FIFOs need Linux or macOS; run this case there.");
        }
        using var home = new TempHome();
        var c = new Case(home.Path);
        var (breakIt, mentions) = Cases[name];
        breakIt(c);
        c.Write();
        var target = Path.Combine(home.Path, "out", "model.onnx");

        var result = c.Swap
            ? ModelInputCorpus.Run(home.Settings(offline: true), "import", "darknet", c.WeightsPath, c.CfgPath, "--out", target)
            : ModelInputCorpus.Run(home.Settings(offline: true), "import", "darknet", c.CfgPath, c.WeightsPath, "--out", target);

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, mentions));
        Assert.False(Directory.Exists(Path.GetDirectoryName(target)), "an output folder was created for a hostile model");
    }

    [Fact]
    public void The_unbroken_model_of_the_corpus_imports()
    {
        using var home = new TempHome();
        var c = new Case(home.Path);
        c.Write();
        var target = Path.Combine(home.Path, "out", "model.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", "darknet", c.CfgPath, c.WeightsPath, "--out", target);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.True(File.Exists(target));
        Assert.Contains("yolo_2", result.AllText, StringComparison.Ordinal);
    }

    /// <summary>One generated model: <c>model.cfg</c> and <c>model.weights</c> (version 0.2.0, seeded random values).</summary>
    private sealed class Case
    {
        public Case(string root)
        {
            CfgPath = Path.Combine(root, "model.cfg");
            WeightsPath = Path.Combine(root, "model.weights");
            Text = Cfg;
            var random = new Random(7);
            Weights = new byte[20 + 4 * Floats];
            BinaryPrimitives.WriteInt32LittleEndian(Weights.AsSpan(4), 2);
            for (var i = 0; i < Floats; i++)
            {
                // Batch-norm variances (floats 42 to 55) stay positive.
                BinaryPrimitives.WriteSingleLittleEndian(Weights.AsSpan(20 + 4 * i), i is >= 42 and < 56 ? 1f : (float)random.NextDouble() - 0.5f);
            }
        }

        public string CfgPath { get; }

        public string WeightsPath { get; }

        public string? Text { get; set; }

        public byte[]? RawCfg { get; set; }

        public byte[]? Weights { get; set; }

        public bool Swap { get; set; }

        public Action? AfterWrite { get; set; }

        public void Replace(string from, string to)
        {
            Assert.Contains(from, Text!, StringComparison.Ordinal);
            Text = Text!.Replace(from, to, StringComparison.Ordinal);
        }

        public void Write()
        {
            if (RawCfg is not null)
            {
                File.WriteAllBytes(CfgPath, RawCfg);
            }
            else if (Text is not null)
            {
                File.WriteAllText(CfgPath, Text);
            }
            if (Weights is not null)
            {
                File.WriteAllBytes(WeightsPath, Weights);
            }
            AfterWrite?.Invoke();
        }
    }
}
