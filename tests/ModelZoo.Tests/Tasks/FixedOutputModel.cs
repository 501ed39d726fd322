using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Onnx.Proto;
using ModelZoo.Store;
using ModelZoo.Tests.Onnx;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// A real ONNX file whose outputs are fixed tensors (Constant nodes) whatever image it is fed, with a card
/// around it: decoders then see exactly the tensors a test chose, through the same preprocessing, session and
/// mapping code a user's model goes through.
/// </summary>
internal sealed class FixedOutputModel : IDisposable
{
    private readonly string _folder;

    private FixedOutputModel(string folder, LocalModel model)
    {
        _folder = folder;
        Model = model;
    }

    public LocalModel Model { get; }

    public ModelCard Card => Model.Card;

    public static FixedOutputModel Create(ModelTask task, string decoder, InputSpec input, IReadOnlyList<Tensor> outputs,
        IReadOnlyList<string>? labels = null, OutputKind kind = OutputKind.Raw, string inputElement = "float", string? primaryOutput = null,
        bool unbatched = false, IReadOnlyList<Tensor>? extraInputs = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "zoo-fixed-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var graph = new GraphProto { Name = "fixed_outputs" };
        var channels = input.ColorOrder == ColorOrder.Gray ? 1L : 3L;
        var elementType = inputElement switch
        {
            "float" => TestGraphs.Float,
            "int32" => (int)TensorProto.Types.DataType.Int32,
            "uint8" => (int)TensorProto.Types.DataType.Uint8,
            _ => throw new ArgumentException(inputElement),
        };
        object[] imageShape = input.Layout == TensorLayout.Nhwc
            ? [1L, (long)input.Height, (long)input.Width, channels]
            : [1L, channels, (long)input.Height, (long)input.Width];
        graph.Input.Add(TestGraphs.TensorValue(input.Name ?? "image", elementType, unbatched ? imageShape[1..] : imageShape));
        foreach (var extra in extraInputs ?? [])
        {
            // Echoed to an output of the same name + "_echo" so a test can see what the pipeline fed.
            graph.Input.Add(TestGraphs.TensorValue(extra.Name, TestGraphs.Float, extra.Shape.Cast<object>().ToArray()));
            graph.Output.Add(TestGraphs.TensorValue(extra.Name + "_echo", TestGraphs.Float, extra.Shape.Cast<object>().ToArray()));
            graph.Node.Add(TestGraphs.Node("Identity", [extra.Name], [extra.Name + "_echo"], extra.Name + "_identity"));
        }
        foreach (var output in outputs)
        {
            graph.Output.Add(TestGraphs.TensorValue(output.Name, TestGraphs.Float, output.Shape.Cast<object>().ToArray()));
            var node = TestGraphs.Node("Constant", [], [output.Name], output.Name + "_const");
            node.Attribute.Add(new AttributeProto
            {
                Name = "value",
                Type = AttributeProto.Types.AttributeType.Tensor,
                T = TestGraphs.FloatTensor("", output.Values, output.Shape),
            });
            graph.Node.Add(node);
        }
        var modelPath = Path.Combine(folder, "model.onnx");
        File.WriteAllBytes(modelPath, TestGraphs.Model(graph, opset: 13).ToBytes());
        var files = new List<ModelFile> { FileOf("model.onnx", modelPath, "model") };
        var paths = new Dictionary<string, string> { ["model.onnx"] = modelPath };
        LabelsSpec? labelsSpec = null;
        if (labels is not null)
        {
            var labelsPath = Path.Combine(folder, "labels.txt");
            File.WriteAllText(labelsPath, string.Join('\n', labels) + "\n");
            files.Add(FileOf("labels.txt", labelsPath, "labels"));
            paths["labels.txt"] = labelsPath;
            labelsSpec = new LabelsSpec { Source = "file:labels.txt", Count = labels.Count };
        }
        var card = new ModelCard
        {
            Handle = "test/fixed/" + decoder.Replace('-', '_'),
            Task = task,
            Files = files,
            License = new LicenseInfo { Spdx = "MIT" },
            // The card declares what the graph takes, as a real card must.
            Input = input with { ElementType = inputElement == "float" ? "float32" : inputElement },
            Output = new OutputSpec { Decoder = decoder, Kind = kind, Name = primaryOutput },
            Labels = labelsSpec,
        };
        return new FixedOutputModel(folder, new LocalModel(card, paths));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Still mapped by a native session on some platforms; the OS cleans temp folders.
        }
    }

    private static ModelFile FileOf(string name, string path, string role) => new()
    {
        Name = name,
        Role = role,
        Source = "file:" + path,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
        Size = new FileInfo(path).Length,
    };

    /// <summary>One fixed output.</summary>
    public sealed record Tensor(string Name, float[] Values, params long[] Shape);
}
