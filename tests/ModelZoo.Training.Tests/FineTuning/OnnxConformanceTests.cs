using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;
using ModelZoo.Tests;
using ModelZoo.Training.FineTuning.Gradients;

namespace ModelZoo.Training.Tests.FineTuning;

/// <summary>
/// ONNX's own conformance cases (Debian's libonnx-testdata, fetched by scripts/fetch-test-assets.sh into
/// onnx-node/) for every op the fine-tuner runs forward or emits in its backward graphs: each case's model runs in
/// ONNX Runtime and must reproduce the expected outputs, so the ops behave as the specification's tests say.
/// </summary>
public sealed class OnnxConformanceTests
{
    private static readonly Lazy<Dictionary<string, List<string>>> CasesByOp = new(LoadCases);

    /// <summary>Cases ONNX Runtime cannot be fed by this harness (sequence and optional types).</summary>
    private static readonly HashSet<string> NotTensorCases = new(StringComparer.Ordinal) { "test_identity_sequence", "test_identity_opt" };

    [Theory]
    // Forward ops of the suffixes the trainer runs (ResNet, MobileNet-style and head layers).
    [InlineData("Conv")]
    [InlineData("BatchNormalization")]
    [InlineData("Relu")]
    [InlineData("Clip")]
    [InlineData("LeakyRelu")]
    [InlineData("Sigmoid")]
    [InlineData("HardSwish")]
    [InlineData("Add")]
    [InlineData("Mul")]
    [InlineData("GlobalAveragePool")]
    [InlineData("AveragePool")]
    [InlineData("ReduceMean")]
    [InlineData("Flatten")]
    [InlineData("Reshape")]
    [InlineData("Gemm")]
    [InlineData("MatMul")]
    // Ops the gradient rules and the loss emit.
    [InlineData("ConvTranspose")]
    [InlineData("ReduceSum")]
    [InlineData("Transpose")]
    [InlineData("Softmax")]
    [InlineData("Sub")]
    [InlineData("Neg")]
    [InlineData("Where")]
    [InlineData("Greater")]
    [InlineData("Less")]
    [InlineData("And")]
    [InlineData("Expand")]
    [InlineData("Shape")]
    [InlineData("Slice")]
    [InlineData("Sum")]
    [InlineData("Identity")]
    [InlineData("Unsqueeze")]
    [InlineData("Pad")]
    [InlineData("Concat")]
    public void Every_conformance_case_of_the_op_passes_in_onnx_runtime(string op)
    {
        Assert.True(CasesByOp.Value.TryGetValue(op, out var cases) && cases.Count > 0,
            $"no libonnx-testdata case runs {op}; run scripts/fetch-test-assets.sh again");
        var failures = new List<string>();
        foreach (var dir in cases)
        {
            try
            {
                RunCase(dir);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures.Add($"{Path.GetFileName(dir)}: {ex.Message.Split('\n')[0]}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} {op} cases failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_gradient_rules_emit_only_ops_covered_here()
    {
        // The op types the rules table accepts are forward ops; the ops they emit are listed in the theory above.
        var covered = typeof(OnnxConformanceTests).GetMethod(nameof(Every_conformance_case_of_the_op_passes_in_onnx_runtime))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();
        var passThrough = new[] { "Dropout", "Squeeze" };
        Assert.All(GradientRules.Supported.Except(passThrough), op => Assert.Contains(op, covered));
    }

    private static void RunCase(string dir)
    {
        var model = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
        var set = Path.Combine(dir, "test_data_set_0");
        var graph = model.Proto.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var fed = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var inputs = new List<NamedTensor>();
        for (var i = 0; i < fed.Count; i++)
        {
            var file = Path.Combine(set, $"input_{i}.pb");
            if (!File.Exists(file))
            {
                continue; // an omitted optional input
            }

            inputs.Add(ToNamed(fed[i].Name, TensorProto.Parser.ParseFrom(File.ReadAllBytes(file))));
        }

        using var session = ModelSession.Open(model.ToBytes(), new SessionSettings { DynamicBatch = false, IntraOpThreads = 1 });
        var outputs = session.Run(inputs);
        for (var k = 0; k < graph.Output.Count; k++)
        {
            var expected = ToNamed(graph.Output[k].Name, TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(set, $"output_{k}.pb"))));
            var actual = outputs[k];
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data.GetType(), actual.Data.GetType());
            if (expected.Data is float[] e)
            {
                var a = actual.AsFloats();
                for (var i = 0; i < e.Length; i++)
                {
                    // The ONNX backend test tolerance: rtol 1e-3, atol 1e-7 (1e-5 here for float32 accumulation order).
                    if (!(Math.Abs(a[i] - e[i]) <= 1e-5 + (1e-3 * Math.Abs(e[i]))) && !(float.IsNaN(e[i]) && float.IsNaN(a[i])))
                    {
                        throw new InvalidOperationException($"output {graph.Output[k].Name}[{i}] = {a[i]}, expected {e[i]}");
                    }
                }
            }
            else
            {
                Assert.Equal(expected.Data.Cast<object>(), actual.Data.Cast<object>());
            }
        }
    }

    private static NamedTensor ToNamed(string name, TensorProto t)
    {
        var shape = t.Dims.ToArray();
        var raw = t.RawData.ToByteArray();
        Array data = (TensorProto.Types.DataType)t.DataType switch
        {
            TensorProto.Types.DataType.Float => raw.Length > 0 ? Cast<float>(raw) : t.FloatData.ToArray(),
            TensorProto.Types.DataType.Double => raw.Length > 0 ? Cast<double>(raw) : t.DoubleData.ToArray(),
            TensorProto.Types.DataType.Int64 => raw.Length > 0 ? Cast<long>(raw) : t.Int64Data.ToArray(),
            TensorProto.Types.DataType.Int32 => raw.Length > 0 ? Cast<int>(raw) : t.Int32Data.ToArray(),
            TensorProto.Types.DataType.Uint8 => raw.Length > 0 ? raw : t.Int32Data.Select(v => (byte)v).ToArray(),
            TensorProto.Types.DataType.Int8 => raw.Length > 0 ? Cast<sbyte>(raw) : t.Int32Data.Select(v => (sbyte)v).ToArray(),
            TensorProto.Types.DataType.Bool => raw.Length > 0 ? raw.Select(b => b != 0).ToArray() : t.Int32Data.Select(v => v != 0).ToArray(),
            var other => throw new NotSupportedException($"element type {other}"),
        };
        return new NamedTensor(name, data, shape);
    }

    private static T[] Cast<T>(byte[] raw) where T : struct => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(raw).ToArray();

    private static Dictionary<string, List<string>> LoadCases()
    {
        var root = TestAssets.ImageFolder("onnx-node");
        var byOp = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (NotTensorCases.Contains(Path.GetFileName(dir)) || !File.Exists(Path.Combine(dir, "model.onnx")))
            {
                continue;
            }

            var graph = OnnxModel.Load(Path.Combine(dir, "model.onnx")).Proto.Graph;
            if (graph.Node.Any(n => n.OpType.StartsWith("Random", StringComparison.Ordinal) || n.OpType == "Bernoulli"))
            {
                continue; // random draws: the expected outputs are one sample, not a reference
            }

            foreach (var op in graph.Node.Select(n => n.OpType).Distinct())
            {
                if (!byOp.TryGetValue(op, out var list))
                {
                    byOp[op] = list = [];
                }

                list.Add(dir);
            }
        }

        return byOp;
    }
}
