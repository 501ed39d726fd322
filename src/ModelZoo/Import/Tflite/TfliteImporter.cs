using System.Diagnostics;
using System.Security.Cryptography;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// Translates a TensorFlow Lite model (a <c>TFL3</c> FlatBuffer, subgraph 0) into an ONNX model with the same inputs,
/// outputs and NHWC semantics. Inputs and outputs keep the TFLite tensor names and static shapes. Weights stored as
/// fp16 behind DEQUANTIZE, or sparse behind DENSIFY, become float32 initializers. An operator the importer cannot
/// translate stops the import with <see cref="TfliteUnsupportedOperatorsException"/> naming every such operator.
/// </summary>
public static class TfliteImporter
{
    /// <summary>The ONNX opset the importer writes.</summary>
    public const int Opset = 17;

    /// <summary>Identifies the translation rules; stored in the model metadata so caches can tell stale imports apart.
    /// Version 2 moves layout Transposes out of the graph (<see cref="TransposeSinker"/>).</summary>
    public const string ImporterVersion = "tflite-onnx/2";

    /// <summary>The TFLite operators the importer translates (builtin names and custom codes).</summary>
    public static IReadOnlyCollection<string> SupportedOperators => TfliteOps.Table.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>True when <paramref name="path"/> names a TFLite file: the <c>.tflite</c> extension, or the <c>TFL3</c>
    /// identifier at bytes 4–7.</summary>
    public static bool IsTflite(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".tflite", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        try
        {
            if (new FileInfo(path) is not { Exists: true, Length: >= 8 })
            {
                return false;
            }
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[8];
            return stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && TfliteModel.HasIdentifier(head);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Imports <paramref name="path"/> and returns the ONNX model.</summary>
    /// <exception cref="TfliteModelException">The file is missing, truncated or not a TFLite model.</exception>
    /// <exception cref="TfliteUnsupportedOperatorsException">The model uses operators the importer cannot translate.</exception>
    public static OnnxModel Import(string path) => ImportWithReport(path).Model;

    /// <summary>Imports <paramref name="path"/> and returns the ONNX model with a report (op counts, time).</summary>
    /// <exception cref="TfliteModelException">The file is missing, truncated or not a TFLite model.</exception>
    /// <exception cref="TfliteUnsupportedOperatorsException">The model uses operators the importer cannot translate.</exception>
    public static TfliteImportResult ImportWithReport(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var clock = Stopwatch.StartNew();
        path = Path.GetFullPath(path);
        var bytes = ReadFile(path);
        var name = Path.GetFileName(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        TfliteModel model;
        try
        {
            model = TfliteModel.Read(bytes);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw new TfliteModelException(path,
                $"'{name}' is not a readable TFLite model: {ex.Message.TrimEnd('.')}; check that the file is complete, or pull it again.", ex);
        }
        GraphProto graph;
        IReadOnlyDictionary<string, int> counts;
        try
        {
            (graph, counts) = Translate(model, path);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw new TfliteModelException(path,
                $"'{name}' holds a malformed tensor or buffer: {ex.Message.TrimEnd('.')}; check that the file is complete, or pull it again.", ex);
        }
        // TensorFlow's NHWC layout arrives as a Transpose pair around every Conv; most cancel once moved together.
        TransposeSinker.Sink(graph);
        var onnx = OnnxGraphWriter.ToModel(graph, ImporterVersion, Opset);
        onnx.Metadata["modelzoo.importer"] = ImporterVersion;
        onnx.Metadata["tflite.source"] = name;
        onnx.Metadata["tflite.sha256"] = sha;
        if (!string.IsNullOrEmpty(model.Description))
        {
            onnx.Metadata["tflite.description"] = model.Description;
        }
        return new TfliteImportResult
        {
            Model = onnx,
            TfliteOperatorCounts = counts,
            OperatorCount = model.Operators.Count,
            TensorCount = model.Tensors.Count,
            Sha256 = sha,
            Elapsed = clock.Elapsed,
        };
    }

    private static byte[] ReadFile(string path)
    {
        // A FIFO or a device reports length 0, and reading it would wait or never end: refuse it before opening.
        if (new FileInfo(path) is { Exists: true, Length: 0 })
        {
            throw new TfliteModelException(path, $"'{path}' is empty or not a regular file; check the path to the .tflite file, or pull the model again.");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TfliteModelException(path, $"Cannot read '{path}': {ex.Message.TrimEnd('.')}; check the path to the .tflite file.", ex);
        }
    }

    private static bool IsMalformed(Exception ex) => ex is FlatBufferException or InvalidDataException or OverflowException or InvalidOperationException
        or ArgumentException or IndexOutOfRangeException or OutOfMemoryException;

    private static (GraphProto, IReadOnlyDictionary<string, int>) Translate(TfliteModel model, string path)
    {
        var converter = new TfliteConverter(model);
        converter.Graph.Name = Path.GetFileNameWithoutExtension(path);
        var names = new Dictionary<int, string>();
        foreach (var index in model.Inputs.Concat(model.Outputs).Distinct())
        {
            names[index] = converter.Unique(model.Tensors[index].Name);
        }
        var problems = new List<UnsupportedNode>();
        DefineInputs(converter, model, names, problems);
        var counts = TranslateOperators(converter, model, problems);
        if (problems.Count > 0)
        {
            throw new TfliteUnsupportedOperatorsException(path, problems);
        }
        AddOutputs(converter, model, names, path);
        return (converter.Graph, counts);
    }

    private static void DefineInputs(TfliteConverter converter, TfliteModel model, Dictionary<int, string> names,
        List<UnsupportedNode> problems)
    {
        foreach (var index in model.Inputs)
        {
            var tensor = model.Tensors[index];
            var type = tensor.Type switch
            {
                TfliteTensorTypes.Float32 => TensorType.Float,
                TfliteTensorTypes.Int32 => TensorType.Int32,
                _ => (TensorType?)null,
            };
            if (type is null)
            {
                problems.Add(new UnsupportedNode("input", $"input '{tensor.Name}'",
                    $"{TfliteTensorTypes.Name(tensor.Type)} inputs are not supported (a quantized model); use a float model"));
                continue;
            }
            converter.Define(index, new TfValue(names[index], type.Value, tensor.Shape));
            converter.Graph.Input.Add(OnnxGraphWriter.ValueInfo(names[index], type.Value, tensor.Shape));
        }
    }

    private static SortedDictionary<string, int> TranslateOperators(TfliteConverter converter, TfliteModel model,
        List<UnsupportedNode> problems)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in model.Operators)
        {
            counts[op.Op] = counts.GetValueOrDefault(op.Op) + 1;
            converter.Operator = op;
            var label = $"#{op.Index} '{(op.Outputs.Length > 0 ? model.Tensors[op.Outputs[0]].Name : "")}'";
            if (!TfliteOps.Table.TryGetValue(op.Op, out var convert))
            {
                problems.Add(new UnsupportedNode(op.Op, label, op.IsCustom ? "no converter for this custom op" : "no converter for this op"));
                continue;
            }
            var runtime = op.Inputs.Where(i => i >= 0 && !converter.IsConstant(i)).Concat(op.Outputs)
                .Select(i => model.Tensors[i]).FirstOrDefault(t => t.Type is not (TfliteTensorTypes.Float32 or TfliteTensorTypes.Int32));
            if (runtime is not null && op.Op != "DEQUANTIZE" && op.Op != "DENSIFY")
            {
                problems.Add(new UnsupportedNode(op.Op, label,
                    $"run-time {TfliteTensorTypes.Name(runtime.Type)} tensors are not supported (a quantized model); use a float model"));
                continue;
            }
            try
            {
                convert(converter);
            }
            catch (NodeNotSupportedException ex)
            {
                problems.Add(new UnsupportedNode(op.Op, label, ex.Reason));
            }
        }
        return counts;
    }

    private static void AddOutputs(TfliteConverter converter, TfliteModel model, Dictionary<int, string> names, string path)
    {
        var graph = converter.Graph;
        foreach (var index in model.Outputs)
        {
            converter.Operator = new TfliteOperator(model.Operators.Count, "output", false, [], [], null, []);
            TfValue value;
            try
            {
                value = converter.Value(index);
            }
            catch (NodeNotSupportedException ex)
            {
                throw new TfliteModelException(path, $"The output '{model.Tensors[index].Name}' of '{Path.GetFileName(path)}' is never computed ({ex.Reason}); re-export the model.");
            }
            var node = new NodeProto { OpType = "Identity", Name = converter.Unique("output/" + names[index]) };
            node.Input.Add(converter.Name(value));
            node.Output.Add(names[index]);
            graph.Node.Add(node);
            graph.Output.Add(OnnxGraphWriter.ValueInfo(names[index], value.Type, model.Tensors[index].Shape));
        }
    }
}
