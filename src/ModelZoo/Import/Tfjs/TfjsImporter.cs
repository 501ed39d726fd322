using System.Diagnostics;
using System.Security.Cryptography;
using ModelZoo.Import.Tfjs.Layers;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tfjs;

/// <summary>
/// Translates a TensorFlow.js graph model (<c>model.json</c> with a TensorFlow GraphDef and its weight shards), or a
/// layers model (a Keras topology, read by <see cref="KerasLayersModel"/> into the graph TensorFlow.js runs), into
/// an ONNX model with the same inputs, outputs and NHWC semantics. Graph inputs keep TensorFlow's shapes and names
/// (the signature's names when the model has one); integer tensors are int32 as in TensorFlow.js. An op the importer
/// cannot translate stops the import with <see cref="UnsupportedOperatorsException"/> listing every such node.
/// </summary>
public static class TfjsImporter
{
    /// <summary>The ONNX opset the importer writes.</summary>
    public const int Opset = 17;

    /// <summary>Identifies the translation rules; stored in the model metadata so caches can tell stale imports apart.
    /// Version 2 moves layout Transposes out of the graph (<see cref="TransposeSinker"/>).</summary>
    public const string ImporterVersion = "tfjs-onnx/2";

    /// <summary>The TensorFlow ops the importer translates (plus Const, Placeholder and NoOp).</summary>
    public static IReadOnlyCollection<string> SupportedOperators => TfjsOps.Table.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Imports <paramref name="modelJsonPath"/> and returns the ONNX model.</summary>
    /// <exception cref="TfjsModelException">The file or a weight shard is missing or malformed.</exception>
    /// <exception cref="UnsupportedOperatorsException">The graph uses ops the importer cannot translate.</exception>
    public static OnnxModel Import(string modelJsonPath, TfjsImportOptions? options = null) =>
        ImportWithReport(modelJsonPath, options).Model;

    /// <summary>Imports <paramref name="modelJsonPath"/> and returns the ONNX model with a report (op counts, time).</summary>
    /// <exception cref="TfjsModelException">The file or a weight shard is missing or malformed.</exception>
    /// <exception cref="UnsupportedOperatorsException">The graph uses ops the importer cannot translate.</exception>
    public static TfjsImportResult ImportWithReport(string modelJsonPath, TfjsImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelJsonPath);
        options ??= new TfjsImportOptions();
        var clock = Stopwatch.StartNew();
        var path = Path.GetFullPath(modelJsonPath);
        RequireRegularContent(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TfjsModelException(path, $"Cannot read '{path}': {ex.Message}; check the path to model.json.", ex);
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new TfjsModelException(path, $"'{Path.GetFileName(path)}' is not valid JSON ({ex.Message}); check that it is a complete TFJS model.json.", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            var (model, weights) = KerasLayersModel.IsLayersModel(root) ? ReadLayersModel(root, path) : ReadGraphModel(root, path);
            GraphProto graph;
            IReadOnlyDictionary<string, int> counts;
            try
            {
                (graph, counts) = Translate(model, weights, options, path);
            }
            catch (Exception ex) when (IsMalformed(ex))
            {
                throw Malformed(path, "graph inputs, outputs or signature", ex);
            }
            // TensorFlow's NHWC layout arrives as a Transpose pair around every Conv; most cancel once moved together.
            TransposeSinker.Sink(graph);
            var onnx = OnnxGraphWriter.ToModel(graph, ImporterVersion, Opset);
            if (options.WriteMetadata)
            {
                onnx.Metadata["modelzoo.importer"] = ImporterVersion;
                onnx.Metadata["tfjs.source"] = Path.GetFileName(path);
                onnx.Metadata["tfjs.sha256"] = sha;
                if (model.GeneratedBy is { } by)
                {
                    onnx.Metadata["tfjs.generatedBy"] = by;
                }
                if (model.ConvertedBy is { } conv)
                {
                    onnx.Metadata["tfjs.convertedBy"] = conv;
                }
            }
            return new TfjsImportResult
            {
                Model = onnx,
                TfOperatorCounts = counts,
                TfNodeCount = model.Nodes.Count,
                WeightCount = weights.Count,
                ModelJsonSha256 = sha,
                Elapsed = clock.Elapsed,
            };
        }
    }

    private static (TfjsGraphModel Model, Dictionary<string, ConstTensor> Weights) ReadGraphModel(JsonElement root, string path)
    {
        TfjsGraphModel model;
        try
        {
            model = TfjsGraphModel.Read(root, path);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw Malformed(path, "modelTopology or signature", ex);
        }
        try
        {
            return (model, TfjsWeights.Read(model.Manifest, Path.GetDirectoryName(path)!, path));
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw Malformed(path, "weightsManifest", ex);
        }
    }

    /// <summary>A layers model becomes the graph TensorFlow.js runs for it (<see cref="KerasLayersModel"/>); its weights
    /// are read with the same shard checks as a graph model's.</summary>
    private static (TfjsGraphModel Model, Dictionary<string, ConstTensor> Weights) ReadLayersModel(JsonElement root, string path)
    {
        try
        {
            return KerasLayersModel.Read(root, path);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw Malformed(path, "Keras modelTopology or weightsManifest", ex);
        }
    }

    private static (GraphProto Graph, IReadOnlyDictionary<string, int> Counts) Translate(TfjsGraphModel model,
        Dictionary<string, ConstTensor> weights, TfjsImportOptions options, string path)
    {
        var nodes = IndexNodes(model, path);
        var outputs = OutputSpecs(model);
        var order = TopologicalOrder(nodes, outputs.Select(o => TfNode.ParseReference(o.Reference).Node), path);
        var unsupported = order.Where(n => n.Op is not ("Const" or "Placeholder" or "NoOp") && !TfjsOps.Table.ContainsKey(n.Op))
            .Select(n => new UnsupportedNode(n.Op, n.Name, "no converter for this op")).ToList();
        if (unsupported.Count > 0)
        {
            throw new UnsupportedOperatorsException(path, unsupported);
        }

        var converter = new TfjsConverter(nodes);
        converter.Graph.Name = Path.GetFileNameWithoutExtension(path);
        foreach (var spec in model.Inputs.Concat(outputs))
        {
            converter.Reserve(spec.Name);
        }
        var inputSpecs = model.Inputs.Count > 0
            ? model.Inputs
            : order.Where(n => n.Op == "Placeholder").Select(n => new TfjsTensorSpec(n.Name, n.Name, null, null)).ToList();
        DefineInputs(converter, nodes, inputSpecs, options, path);
        var counts = TranslateNodes(converter, order, weights, path);
        AddOutputs(converter, outputs, path);
        return (converter.Graph, counts);
    }

    private static Dictionary<string, TfNode> IndexNodes(TfjsGraphModel model, string path)
    {
        var nodes = new Dictionary<string, TfNode>(StringComparer.Ordinal);
        foreach (var node in model.Nodes)
        {
            if (!nodes.TryAdd(node.Name, node))
            {
                throw new TfjsModelException(path, $"'{Path.GetFileName(path)}' defines node '{node.Name}' twice; re-export the model.");
            }
        }
        return nodes;
    }

    /// <summary>Without a signature, TensorFlow.js takes every node nothing reads as an output.</summary>
    private static IReadOnlyList<TfjsTensorSpec> OutputSpecs(TfjsGraphModel model)
    {
        if (model.Outputs.Count > 0)
        {
            return model.Outputs;
        }
        var consumed = model.Nodes.SelectMany(n => n.AllInputNodes).ToHashSet(StringComparer.Ordinal);
        return model.Nodes.Where(n => n.Op != "NoOp" && !consumed.Contains(n.Name))
            .Select(n => new TfjsTensorSpec(n.Name, n.Name, null, null)).ToList();
    }

    private static void DefineInputs(TfjsConverter converter, Dictionary<string, TfNode> nodes,
        IEnumerable<TfjsTensorSpec> inputSpecs, TfjsImportOptions options, string path)
    {
        foreach (var spec in inputSpecs)
        {
            var (nodeName, index) = TfNode.ParseReference(spec.Reference);
            if (!nodes.TryGetValue(nodeName, out var node))
            {
                throw new TfjsModelException(path, $"The signature input '{spec.Name}' names no node of '{Path.GetFileName(path)}'; re-export the model.");
            }
            var dtype = spec.DType ?? node.DType("dtype");
            var type = TfjsOps.FromTf(dtype)
                       ?? throw new UnsupportedOperatorsException(path, [new UnsupportedNode(node.Op, node.Name, $"input dtype {dtype} is not supported")]);
            var shape = spec.Shape ?? node.Shape("shape");
            if (shape is { Length: > 0 } && shape[0] < 0 && options.BatchSize is { } batch)
            {
                shape = (long[])shape.Clone();
                shape[0] = batch;
            }
            converter.Define(nodeName, index, new TfValue(spec.Name, type, shape));
            converter.Graph.Input.Add(OnnxGraphWriter.ValueInfo(spec.Name, type, shape));
        }
    }

    private static SortedDictionary<string, int> TranslateNodes(TfjsConverter converter, IEnumerable<TfNode> order,
        Dictionary<string, ConstTensor> weights, string path)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<UnsupportedNode>();
        foreach (var node in order)
        {
            counts[node.Op] = counts.GetValueOrDefault(node.Op) + 1;
            converter.Node = node;
            try
            {
                TranslateNode(converter, node, weights, path, problems);
            }
            catch (NodeNotSupportedException ex)
            {
                problems.Add(new UnsupportedNode(node.Op, node.Name, ex.Reason));
            }
            catch (Exception ex) when (IsMalformed(ex))
            {
                throw Malformed(path, $"node '{node.Name}' ({node.Op})", ex);
            }
        }
        if (problems.Count > 0)
        {
            throw new UnsupportedOperatorsException(path, problems);
        }
        return counts;
    }

    private static void TranslateNode(TfjsConverter converter, TfNode node, Dictionary<string, ConstTensor> weights,
        string path, List<UnsupportedNode> problems)
    {
        switch (node.Op)
        {
            case "Const":
                converter.Set(converter.Constant(ConstOf(node, weights, path)));
                return;
            case "Placeholder":
                if (!converter.TryGet(node.Name, out _))
                {
                    problems.Add(new UnsupportedNode(node.Op, node.Name, "a placeholder that is not a model input"));
                }
                return;
            case "NoOp":
                return;
        }
        if (node.Inputs.Any(i => !converter.TryGet(i, out _)))
        {
            return; // an input failed to translate; that node is already reported
        }
        TfjsOps.Table[node.Op](converter);
    }

    private static void AddOutputs(TfjsConverter converter, IEnumerable<TfjsTensorSpec> outputs, string path)
    {
        var graph = converter.Graph;
        converter.Node = new TfNode("outputs", "Identity", [], new Dictionary<string, JsonElement>());
        foreach (var spec in outputs)
        {
            if (!converter.TryGet(spec.Reference, out var value))
            {
                throw new TfjsModelException(path, $"The output '{spec.Name}' names no translated value of '{Path.GetFileName(path)}'; re-export the model.");
            }
            var node = new NodeProto { OpType = "Identity", Name = converter.Unique("output/" + spec.Name) };
            node.Input.Add(converter.Name(value));
            node.Output.Add(spec.Name);
            graph.Node.Add(node);
            var shape = spec.Shape ?? value.Shape;
            graph.Output.Add(OnnxGraphWriter.ValueInfo(spec.Name, value.Type, shape));
        }
    }

    /// <summary>A FIFO or a device reports length 0, and reading it would wait or never end: refuse it (and an empty file)
    /// before opening.</summary>
    internal static void RequireRegularContent(string path)
    {
        if (new FileInfo(path) is { Exists: true, Length: 0 })
        {
            throw new TfjsModelException(path, $"'{path}' is empty or not a regular file; check the path to model.json, or pull the model again.");
        }
    }

    /// <summary>What reading a JSON value of the wrong type or an out-of-range number throws (from
    /// <see cref="JsonElement"/>, parsing, checked shape arithmetic or array indexing).</summary>
    private static bool IsMalformed(Exception ex) => ex is InvalidOperationException or KeyNotFoundException or FormatException
        or OverflowException or InvalidDataException or IndexOutOfRangeException or ArgumentException;

    private static TfjsModelException Malformed(string path, string where, Exception ex) => new(path,
        $"The {where} of '{Path.GetFileName(path)}' holds a value of the wrong JSON type or out of range ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')}); the file is damaged or not a TFJS model, re-export it or pull it again.", ex);

    private static ConstTensor ConstOf(TfNode node, Dictionary<string, ConstTensor> weights, string path)
    {
        if (weights.TryGetValue(node.Name, out var tensor))
        {
            return tensor.Type == TensorType.Int32 || tensor.Type == TensorType.Float || tensor.Type == TensorType.Bool
                ? tensor
                : tensor.CastTo(TensorType.Int32);
        }
        if (node.Tensor("value") is { } inline && TfjsInlineTensor.TryRead(inline, out var value))
        {
            return value;
        }
        throw new TfjsModelException(path, $"Constant '{node.Name}' of '{Path.GetFileName(path)}' has no value in the weights manifest; re-export the model.");
    }

    private static List<TfNode> TopologicalOrder(Dictionary<string, TfNode> nodes, IEnumerable<string> roots, string path)
    {
        var order = new List<TfNode>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = visiting, 2 = done
        foreach (var root in roots)
        {
            var stack = new Stack<(string Name, int Next)>();
            if (state.ContainsKey(root))
            {
                continue;
            }
            if (!nodes.ContainsKey(root))
            {
                throw new TfjsModelException(path, $"Output '{root}' names no node of '{Path.GetFileName(path)}'; re-export the model.");
            }
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (name, next) = stack.Pop();
                var node = nodes[name];
                if (next < node.Inputs.Count)
                {
                    stack.Push((name, next + 1));
                    var input = TfNode.ParseReference(node.Inputs[next]).Node;
                    if (!nodes.ContainsKey(input))
                    {
                        throw new TfjsModelException(path, $"Node '{name}' of '{Path.GetFileName(path)}' reads '{input}', which does not exist; re-export the model.");
                    }
                    if (!state.TryGetValue(input, out var s))
                    {
                        state[input] = 1;
                        stack.Push((input, 0));
                    }
                    // A back edge (s == 1) is a TensorFlow while loop; its ops (NextIteration, Merge, ...) are
                    // reported as unsupported, so the edge is simply not followed.
                    _ = s;
                    continue;
                }
                state[name] = 2;
                order.Add(node);
            }
        }
        return order;
    }
}
