using Google.Protobuf;
using ModelZoo.Onnx.Proto;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Onnx;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile ONNX files, generated here, run through <c>zoo headless</c>: a classifier (GlobalAveragePool → Flatten →
/// Gemm → Softmax) with one thing broken in the part the cut keeps. Every case ends in a one-line error, exit 1 or 2,
/// no stack trace, no hang, and no file written (the cut is load-checked in ONNX Runtime before it is moved into place).
/// </summary>
public sealed class OnnxHostileCorpusTests(ITestOutputHelper log)
{
    private static readonly Dictionary<string, (Action<GraphProto, ModelProto, string> Break, string[] Mentions)> Cases = new()
    {
        // Graphs the cut used to write and ONNX Runtime refused later (issue).
        ["op-unknown"] = ((g, _, _) => g.Node[0].OpType = "FrobnicatePool", ["FrobnicatePool"]),
        ["domain-unknown"] = ((g, _, _) => g.Node[0].Domain = "com.example.secret", ["com.example.secret"]),
        ["domain-declared-but-unknown"] = ((g, m, _) =>
        {
            g.Node[0].Domain = "com.example.secret";
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.example.secret", Version = 1 });
        }, ["does not load in ONNX Runtime"]),
        ["cycle"] = ((g, _, _) =>
        {
            // relu reads the pooled tensor that pool (now reading relu's output) produces.
            g.Node.Insert(0, TestGraphs.Node("Relu", ["pooled"], ["activated"], "relu"));
            g.Node[1].Input[0] = "activated";
        }, ["topological order or has a cycle"]),
        ["out-of-order"] = ((g, _, _) =>
        {
            // pool reads 'activated', which relu (listed last) produces.
            g.Node.Add(TestGraphs.Node("Relu", ["image"], ["activated"], "relu"));
            g.Node[0].Input[0] = "activated";
        }, ["'activated'", "topological order"]),
        ["tensor-produced-twice"] = ((g, _, _) => g.Node.Insert(1, TestGraphs.Node("Relu", ["image"], ["pooled"], "second_producer")), ["produced twice"]),
        ["attribute-unknown"] = ((g, _, _) => g.Node[0].Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("one") }), ["does not load in ONNX Runtime"]),
        ["opset-from-the-future"] = ((_, m, _) => m.OpsetImport[0].Version = 99, ["does not load in ONNX Runtime"]),
        // External data that would be read from outside the model's folder.
        ["external-data-escapes"] = ((g, _, folder) => MakeExternal(g, folder, "../../../../etc/passwd"), ["../../../../etc/passwd", "outside"]),
        ["external-data-absolute"] = ((g, _, folder) => MakeExternal(g, folder, Path.Combine(folder, "..", "abs.bin")), ["abs.bin", "outside"]),
        // What already held: not ONNX at all, no head to cut.
        ["no-graph"] = ((_, m, _) => m.Graph = null, ["graph"]),
        // A file that would block when read (replaced by a FIFO after it is written): refused by its length.
        ["model-is-fifo"] = ((_, _, _) => { }, ["not a regular file"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_onnx_file_ends_in_a_clean_error_and_no_cut_is_written(string name)
    {
        using var home = new TempHome();
        var folder = Path.Combine(home.Path, "model");
        Directory.CreateDirectory(folder);
        var model = Classifier();
        var (breakIt, mentions) = Cases[name];
        breakIt(model.Graph, model, folder);
        var source = Path.Combine(folder, "classifier.onnx");
        File.WriteAllBytes(source, model.ToByteArray());
        if (name == "model-is-fifo")
        {
            Assert.False(OperatingSystem.IsWindows(), "FIFOs need Linux or macOS; run this case there.");
            Fifo.Replace(source);
        }
        var outFolder = Path.Combine(home.Path, "out");
        Directory.CreateDirectory(outFolder);
        var target = Path.Combine(outFolder, "headless.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "headless", source, "--out", target);

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, mentions));
        Assert.Empty(Directory.GetFiles(outFolder));
    }

    [Fact]
    public void The_unbroken_classifier_of_the_corpus_is_cut()
    {
        using var home = new TempHome();
        var source = Path.Combine(home.Path, "classifier.onnx");
        File.WriteAllBytes(source, Classifier().ToByteArray());
        var target = Path.Combine(home.Path, "headless.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "headless", source, "--out", target);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("[batch, 3]", result.AllText);
        Assert.True(File.Exists(target));
    }

    /// <summary>image[N,3,8,8] → GlobalAveragePool → Flatten → Gemm(3→2) → Softmax.</summary>
    private static ModelProto Classifier()
    {
        var graph = new GraphProto { Name = "classifier" };
        graph.Input.Add(TestGraphs.TensorValue("image", TestGraphs.Float, "batch", 3L, 8L, 8L));
        graph.Output.Add(TestGraphs.TensorValue("probabilities", TestGraphs.Float, "batch", 2L));
        graph.Initializer.Add(TestGraphs.FloatTensor("W", [1f, 0f, 0f, 0f, 1f, 0f], 3, 2));
        graph.Initializer.Add(TestGraphs.FloatTensor("B", [0f, 0f], 2));
        graph.Node.Add(TestGraphs.Node("GlobalAveragePool", ["image"], ["pooled"], "pool"));
        graph.Node.Add(TestGraphs.Node("Flatten", ["pooled"], ["flat"], "flatten"));
        graph.Node.Add(TestGraphs.Node("Gemm", ["flat", "W", "B"], ["logits"], "fc"));
        graph.Node.Add(TestGraphs.Node("Softmax", ["logits"], ["probabilities"], "softmax"));
        return TestGraphs.Model(graph, opset: 13).Proto;
    }

    /// <summary>Puts a constant the cut keeps (a Mul by 1 before the pooling) into external data at <paramref name="location"/>,
    /// with a file of the right size there when the location can be written.</summary>
    private static void MakeExternal(GraphProto graph, string folder, string location)
    {
        var one = new TensorProto { Name = "one", DataType = TestGraphs.Float, DataLocation = TensorProto.Types.DataLocation.External };
        one.Dims.Add(1);
        one.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        one.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "4" });
        var full = Path.GetFullPath(Path.Combine(folder, location));
        if (!File.Exists(full) && Directory.Exists(Path.GetDirectoryName(full)))
        {
            File.WriteAllBytes(full, BitConverter.GetBytes(1f));
        }
        graph.Initializer.Add(one);
        graph.Node.Insert(0, TestGraphs.Node("Mul", ["image", "one"], ["scaled"], "scale"));
        graph.Node[1].Input[0] = "scaled";
    }
}
