using ModelZoo.Tests.Import;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile TFLite files, generated here: each is a small valid model (x[1,2,2,2] through a 1x1 CONV_2D) with one thing
/// broken, in the FlatBuffer structure or in what the tables say, run through <c>zoo import tflite</c>. Every case ends
/// in a one-line error, exit 1 or 2, no stack trace, no hang, and no ONNX file written.
/// </summary>
public sealed class TfliteHostileCorpusTests(ITestOutputHelper log)
{
    private static readonly Dictionary<string, (Func<Case, byte[]> Make, string[] Mentions)> Cases = new()
    {
        // The FlatBuffer itself.
        ["file-empty"] = (_ => [], ["empty"]),
        ["file-7-bytes"] = (c => c.Valid()[..7], ["7 bytes", "header"]),
        ["file-truncated-to-header"] = (c => c.Valid()[..8], ["not a readable TFLite model"]),
        ["file-truncated-half"] = (c => c.Valid()[..(c.Valid().Length / 2)], ["not a readable TFLite model"]),
        ["file-truncated-last-byte"] = (c => c.Valid()[..^1], ["not a readable TFLite model"]),
        ["identifier-wrong"] = (c => c.Patch(4, "ONNX"u8.ToArray()), ["'ONNX'", "TFL3"]),
        ["identifier-missing-random-bytes"] = (_ => RandomBytes(4096, 1), ["TFL3"]),
        ["random-bytes-with-identifier"] = (_ => WithIdentifier(RandomBytes(4096, 2)), ["not a readable TFLite model"]),
        ["root-offset-past-end"] = (c => c.Patch(0, BitConverter.GetBytes(0x7fff_fff0)), ["past the end"]),
        ["root-vtable-outside"] = (c => c.RootVtable(int.MinValue + 5), ["vtable"]),
        ["zeros-with-identifier"] = (_ => WithIdentifier(new byte[256]), ["not a readable TFLite model"]),
        // What the tables say.
        ["buffer-index-out-of-range"] = (c => c.Build(w => (w.BufferOverrideTensor, w.BufferOverride) = (c.WeightTensor, 99)), ["buffer 99"]),
        ["buffer-shorter-than-shape"] = (c => c.Build(w => w.WeightBytes = new byte[6]), ["holds 6 bytes", "needs 16"]),
        ["tensor-index-out-of-range"] = (c => c.Build(w => w.ConvInputs = [0, 50]), ["tensor 50"]),
        ["tensor-index-negative"] = (c => c.Build(w => w.ConvInputs = [-7, 1]), ["tensor -7"]),
        ["weight-dimension-negative"] = (c => c.Build(w => w.WeightShape = [2, 1, 1, -2]), ["negative dimension"]),
        ["weight-shape-overflow"] = (c => c.Build(w => w.WeightShape = [int.MaxValue, int.MaxValue, int.MaxValue, 2]), ["malformed tensor", "overflows"]),
        ["tensor-read-before-written"] = (c => c.Build(w => w.ReadLater = true), ["read before"]),
        ["output-never-computed"] = (c => c.Build(w => w.DanglingOutput = true), ["never computed"]),
        ["sparse-segments-out-of-range"] = (c => c.Build(w => w.BrokenSparse = true), ["segment"]),
        // What the importer cannot translate: named, with the operator index.
        ["op-unsupported"] = (c => c.Build(w => w.Op = "SQUEEZE"), ["SQUEEZE", "#0"]),
        ["input-quantized"] = (c => c.Build(w => w.InputType = TfliteModelWriter.Int8), ["INT8", "quantized"]),
        ["conv-options-missing"] = (c => c.Build(w => w.ConvOptions = false), ["CONV_2D", "options"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_tflite_model_ends_in_a_clean_error_and_writes_nothing(string name)
    {
        using var home = new TempHome();
        var (make, mentions) = Cases[name];
        var path = Path.Combine(home.Path, "model.tflite");
        File.WriteAllBytes(path, make(new Case()));
        var target = Path.Combine(home.Path, "out", "model.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", "tflite", path, "--out", target);

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, mentions));
        Assert.False(File.Exists(target), "an ONNX file was written from a hostile model");
    }

    [Fact]
    public void A_tflite_file_that_is_a_fifo_is_refused_before_it_is_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Fail("FIFOs need Linux or macOS; run this case there.");
        }
        using var home = new TempHome();
        var path = Path.Combine(home.Path, "model.tflite");
        Fifo.Replace(path);

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", "tflite", path, "--out", Path.Combine(home.Path, "m.onnx"));

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, "not a regular file"));
    }

    [Theory]
    [InlineData("tflite", "model.tflite")]
    [InlineData("tfjs", "model.bin")] // detected by the TFL3 identifier, whatever the verb and the name
    public void The_unbroken_model_of_the_corpus_imports(string verb, string fileName)
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Path, fileName);
        File.WriteAllBytes(path, new Case().Valid());
        var target = Path.Combine(home.Path, "out", "model.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", verb, path, "--out", target);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.True(File.Exists(target));
        Assert.Contains("CONV_2D", result.AllText);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] WithIdentifier(byte[] bytes)
    {
        "TFL3"u8.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    /// <summary>The corpus model, with knobs that break one thing each.</summary>
    private sealed class Case
    {
        public int WeightTensor => 1;

        public string Op { get; set; } = "CONV_2D";

        public int[] ConvInputs { get; set; } = [0, 1, 2];

        public int[] WeightShape { get; set; } = [2, 1, 1, 2];

        public byte[]? WeightBytes { get; set; }

        public int InputType { get; set; } = TfliteModelWriter.Float32;

        public bool ConvOptions { get; set; } = true;

        public bool ReadLater { get; set; }

        public bool DanglingOutput { get; set; }

        public bool BrokenSparse { get; set; }

        public int BufferOverrideTensor { get; set; } = -1;

        public int? BufferOverride { get; set; }

        public byte[] Valid() => new Case().Build(_ => { });

        public byte[] Build(Action<Case> breakIt)
        {
            breakIt(this);
            var w = new TfliteModelWriter { BufferOverride = BufferOverride, BufferOverrideTensor = BufferOverrideTensor };
            var x = w.Raw("x", InputType, null, 1, 2, 2, 2);
            w.Input0(x);
            var bytes = WeightBytes ?? new[] { 1f, 2f, 3f, 4f }.SelectMany(BitConverter.GetBytes).ToArray();
            var weight = w.Raw("w", TfliteModelWriter.Float32, bytes, WeightShape);
            var bias = w.Floats("b", [0.5f, -0.5f], 2);
            var y = w.Tensor("y", 1, 2, 2, 2);
            var later = w.Tensor("later", 1, 2, 2, 2);
            var options = ConvOptions ? new (int, object)[] { (0, (byte)1), (1, 1), (2, 1) } : [];
            var inputs = ReadLater ? [x, weight, bias] : ConvInputs;
            if (ReadLater)
            {
                w.Op("RELU", [later], [y]).Op("RELU", [x], [later]);
            }
            else
            {
                w.Op(Op, inputs.Length == 2 ? inputs : [inputs[0], weight, bias], [y], options);
            }
            if (BrokenSparse)
            {
                var sparse = w.SparseHalves("s", [(Half)1f], new TfliteModelWriter.Sparse([0, 1], [], [(2, null, null), (0, [0, 1, 5], [0])]), 2, 2);
                var dense = w.Tensor("s_dense", 2, 2);
                w.Op("DENSIFY", [sparse], [dense]).Output(dense);
            }
            w.Output(DanglingOutput ? w.Tensor("dangling", 1, 2, 2, 2) : y);
            return w.Build();
        }

        public byte[] Patch(int at, byte[] bytes)
        {
            var file = Valid();
            bytes.CopyTo(file.AsSpan(at));
            return file;
        }

        /// <summary>Rewrites the root table's vtable offset so that the vtable lies outside the file.</summary>
        public byte[] RootVtable(int soffset)
        {
            var file = Valid();
            var root = BitConverter.ToInt32(file, 0);
            BitConverter.GetBytes(soffset).CopyTo(file, root);
            return file;
        }
    }
}
