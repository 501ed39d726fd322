using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;
using ModelZoo.Training.FineTuning.Gradients;
using static ModelZoo.Training.FineTuning.Gradients.GraphEmitter;

namespace ModelZoo.Training.FineTuning;

/// <summary>
/// A headless backbone split at one tensor: the frozen prefix (original input → cut tensor, run once per image) and
/// the trainable suffix (cut tensor → features), from which the training graph is built. A cut tensor is valid only
/// where it is the single value that flows from the prefix into the suffix (e.g. between two residual blocks).
/// </summary>
internal sealed class SuffixGraph(HeadlessModel headless, UnfreezePlan plan, List<NodeProto> nodes,
    Dictionary<string, TensorProto> initializers, Dictionary<string, long[]> shapes, long opset)
{
    /// <summary>The training graph's input holding the cut tensor's values.</summary>
    public const string ActivationsInput = "activations";

    /// <summary>The training graph's class-probability targets input, <c>[batch, classes]</c>.</summary>
    public const string TargetsInput = "targets";

    /// <summary>The training graph's per-row loss weights input, <c>[batch, 1]</c> (1/batch for a plain mean).</summary>
    public const string WeightsInput = "row_weights";

    /// <summary>Output with the head's logits.</summary>
    public const string LogitsOutput = "logits";

    private const long MinimumOpset = 14;

    private static readonly HashSet<string> WeightLayerOps = new(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul" };

    private readonly Dictionary<string, TensorProto> _initializers = initializers;

    /// <summary>The whole headless backbone the split was made in.</summary>
    public HeadlessModel Headless { get; } = headless;

    /// <summary>Where the split is and what is trained.</summary>
    public UnfreezePlan Plan { get; } = plan;

    /// <summary>The suffix's nodes (cut tensor → features), in order.</summary>
    public IReadOnlyList<NodeProto> Nodes { get; } = nodes;

    /// <summary>Shapes of the backbone's tensors in a probe run of batch <see cref="GraphEmitter.ProbeBatch"/>.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; } = shapes;

    /// <summary>Opset of the graphs this class builds.</summary>
    public long Opset { get; } = opset;

    /// <summary>The initial values of the trained tensors, in <see cref="UnfreezePlan.Parameters"/> order.</summary>
    public float[][] InitialValues() => Plan.Parameters.Select(p => ReadFloats(_initializers[p.Name])).ToArray();

    /// <summary>The suffix's nodes as they run in the built graphs (op, inputs, outputs, int/ints/float attributes), for tools
    /// that rebuild the suffix elsewhere (the torch baseline in bench/torch).</summary>
    public IReadOnlyList<(string Op, string[] Inputs, string[] Outputs, Dictionary<string, object> Attributes)> DescribeNodes() =>
        BuildModel(null, training: false).Proto.Graph.Node.Select(n => (n.OpType, n.Input.ToArray(), n.Output.ToArray(),
            n.Attribute.ToDictionary(a => a.Name, a => a.Ints.Count > 0 ? (object)a.Ints.ToArray()
                : a.Type == AttributeProto.Types.AttributeType.Float ? a.F : a.I))).ToList();

    /// <summary>The float constants the suffix reads besides the trained tensors (e.g. batch-normalisation statistics).</summary>
    public IReadOnlyList<(string Name, float[] Values, long[] Dims)> FrozenConstants() =>
        BuildModel(null, training: false).Proto.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float)
            .Select(t => (t.Name, ReadFloats(t), t.Dims.ToArray())).ToList();

    /// <summary>The frozen prefix: the base input(s) → <see cref="HeadlessModel.OutputName"/> = the cut tensor, flattened.</summary>
    public HeadlessModel Prefix()
    {
        var model = OnnxModel.FromProto(Headless.Model.Proto.Clone());
        var graph = model.Proto.Graph;
        var shape = Shapes[Plan.CutTensor];
        if (graph.ValueInfo.All(v => v.Name != Plan.CutTensor))
        {
            graph.ValueInfo.Add(FloatValue(Plan.CutTensor, [Dim("batch"), .. shape.Skip(1).Select(Dim)]));
        }

        return HeadlessCutter.Cut(model, Plan.CutTensor);
    }

    /// <summary>
    /// Splits <paramref name="headless"/> behind its last <paramref name="unfreeze"/> weight layers, or at the tensor
    /// <paramref name="from"/> (exactly one of the two).
    /// </summary>
    /// <exception cref="ZooUsageException">The count or tensor does not give a valid split point.</exception>
    /// <exception cref="ZooException">The suffix holds an op without a gradient rule (<c>finetune-op-unsupported</c>).</exception>
    public static SuffixGraph Split(HeadlessModel headless, int? unfreeze, string? from, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(headless);
        if (unfreeze is null == from is null)
        {
            throw new ArgumentException("Pass exactly one of unfreeze and from.");
        }

        var graph = headless.Model.Proto.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var nodes = graph.Node.ToList();
        var input = graph.Input.First(i => !initializers.ContainsKey(i.Name));
        var shapes = ProbeBackbone(headless, input, settings ?? new SessionSettings());

        var cuts = CutPoints(nodes, initializers, input.Name);
        var weightLayers = Enumerable.Range(0, nodes.Count)
            .Where(i => WeightLayerOps.Contains(nodes[i].OpType) && nodes[i].Input.Count > 1 && initializers.ContainsKey(nodes[i].Input[1]))
            .ToList();
        int start = StartOf(nodes, cuts, weightLayers, unfreeze, from);
        var cut = cuts[start]!;
        var suffix = nodes.Skip(start).ToList();
        RequireGradientRules(nodes, suffix, cuts, weightLayers);
        var parameters = TrainedTensors(suffix, initializers);
        var plan = new UnfreezePlan(cut, shapes[cut][1..], suffix.Where(n => WeightLayerOps.Contains(n.OpType) && n.Input.Count > 1 && initializers.ContainsKey(n.Input[1]))
                .Select(n => n.Name).ToList(), parameters,
            suffix.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        var opset = Math.Max(MinimumOpset, headless.Model.Opsets.GetValueOrDefault(""));
        return new SuffixGraph(headless, plan, suffix, initializers, shapes, opset);
    }

    /// <summary><c>cuts[p]</c>: the only non-constant tensor that crosses from <c>nodes[..p]</c> into <c>nodes[p..]</c>, or null when several do.</summary>
    private static string?[] CutPoints(List<NodeProto> nodes, Dictionary<string, TensorProto> initializers, string inputName)
    {
        var producedAt = new Dictionary<string, int>(StringComparer.Ordinal) { [inputName] = -1 };
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var o in nodes[i].Output)
            {
                producedAt[o] = i;
            }
        }

        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var name in nodes[i].Input.Where(n => n.Length > 0 && !initializers.ContainsKey(n)))
            {
                lastUse[name] = i;
            }
        }

        var cuts = new string?[nodes.Count];
        var live = new HashSet<string>(StringComparer.Ordinal) { inputName };
        for (var p = 0; p < nodes.Count; p++)
        {
            if (p > 0)
            {
                live.UnionWith(nodes[p - 1].Output.Where(lastUse.ContainsKey));
            }

            live.RemoveWhere(t => lastUse[t] < p);
            cuts[p] = live.Count == 1 ? live.First() : null;
        }

        return cuts;
    }

    /// <summary>The index of the first node of the suffix: behind the last <paramref name="unfreeze"/> weight layers, or at the tensor <paramref name="from"/>.</summary>
    private static int StartOf(List<NodeProto> nodes, string?[] cuts, List<int> weightLayers, int? unfreeze, string? from)
    {
        if (unfreeze is { } count)
        {
            if (count < 1 || count > weightLayers.Count)
            {
                throw new ZooUsageException(string.Create(CultureInfo.InvariantCulture,
                    $"TransferOptions.Unfreeze = {count} is out of range: the backbone has {weightLayers.Count} weight layers; pass a number from 1 to {weightLayers.Count}, e.g. TransferOptions.Unfreeze = 2."));
            }

            var first = weightLayers[^count];
            return Enumerable.Range(0, first + 1).Last(p => cuts[p] is not null);
        }

        var start = Array.FindIndex(cuts, c => c == from);
        if (start < 0)
        {
            var valid = Enumerable.Range(0, nodes.Count).Where(p => cuts[p] is not null && weightLayers.Any(w => w >= p))
                .Select(p => cuts[p]!).Distinct().TakeLast(6);
            throw new ZooUsageException(
                $"TransferOptions.UnfreezeFrom '{from}' is not a tensor the backbone can be split at (the only value that flows from the layers before it to the layers after it); try one of: {string.Join(", ", valid.Select(v => "'" + v + "'"))}.");
        }

        return start;
    }

    private static void RequireGradientRules(List<NodeProto> nodes, List<NodeProto> suffix, string?[] cuts, List<int> weightLayers)
    {
        foreach (var node in suffix)
        {
            if (!GradientRules.Supports(node.OpType))
            {
                var at = nodes.IndexOf(node);
                var later = Enumerable.Range(at + 1, nodes.Count - at - 1).FirstOrDefault(p => cuts[p] is not null, -1);
                var remaining = later < 0 ? 0 : weightLayers.Count(w => w >= later);
                var hint = remaining > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"unfreeze fewer layers, e.g. TransferOptions.Unfreeze = {remaining} (split at '{cuts[later]}'), so that the split comes after it")
                    : "no weight layer follows it, so this backbone can only be used frozen (leave TransferOptions.Unfreeze null)";
                throw ZooErrors.FineTuneOpUnsupported.Raise(
                    $"Cannot fine-tune through {node.OpType} node '{node.Name}': there is no gradient rule for {node.OpType} (supported: {string.Join(", ", GradientRules.Supported)}); {hint}.");
            }
        }
    }

    /// <summary>The float initializers the suffix trains (weights and biases of Conv/Gemm/MatMul, scale and bias of BatchNormalization).</summary>
    private static List<TrainableTensor> TrainedTensors(List<NodeProto> suffix, Dictionary<string, TensorProto> initializers)
    {
        var parameters = new List<TrainableTensor>();
        foreach (var node in suffix)
        {
            int[] trained = node.OpType switch
            {
                "Conv" or "Gemm" => [1, 2],
                "MatMul" => [1],
                "BatchNormalization" => [1, 2],
                _ => [],
            };
            foreach (var k in trained.Where(k => k < node.Input.Count && initializers.ContainsKey(node.Input[k])))
            {
                var tensor = initializers[node.Input[k]];
                if (tensor.DataType != (int)TensorProto.Types.DataType.Float || parameters.Any(p => p.Name == tensor.Name))
                {
                    continue;
                }

                var decay = k == 1 && node.OpType != "BatchNormalization";
                parameters.Add(new TrainableTensor(tensor.Name, tensor.Dims.ToArray(), node.Name, decay));
            }
        }

        return parameters;
    }

    /// <summary>
    /// The suffix as its own model: <see cref="ActivationsInput"/> and every trained tensor (and, with a head, its
    /// <c>head/&lt;i&gt;/weight|bias</c>) as inputs, so new values are fed each step without rebuilding the session.
    /// Outputs: the features (no head), or <see cref="LogitsOutput"/>; with <paramref name="training"/> also the
    /// gradient of the softmax cross-entropy with respect to every trained tensor
    /// (<see cref="GradientModel.GradientPrefix"/> + name), for <see cref="TargetsInput"/> and <see cref="WeightsInput"/>.
    /// </summary>
    public OnnxModel BuildModel(IReadOnlyList<HeadLayer>? head, bool training)
    {
        if (training && head is null)
        {
            throw new ArgumentException("A training graph needs a head.", nameof(head));
        }

        var graph = new GraphProto { Name = "zoo_finetune" };
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var cutShape = Shapes[Plan.CutTensor];
        graph.Input.Add(FloatValue(ActivationsInput, [Dim("batch"), .. cutShape.Skip(1).Select(Dim)]));
        shapes[ActivationsInput] = cutShape;
        var trained = Plan.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in Plan.Parameters)
        {
            graph.Input.Add(FloatValue(p.Name, p.Dims.Select(Dim).ToArray()));
            shapes[p.Name] = [.. p.Dims];
        }

        var used = Nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, tensor) in _initializers)
        {
            if (used.Contains(name) && !trained.Contains(name))
            {
                graph.Initializer.Add(tensor);
            }
        }

        var forward = new List<NodeProto>();
        foreach (var original in Nodes)
        {
            var node = Upgrade(original);
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == Plan.CutTensor)
                {
                    node.Input[i] = ActivationsInput;
                }
            }

            forward.Add(node);
            foreach (var output in node.Output.Where(Shapes.ContainsKey))
            {
                shapes[output] = Shapes[output];
            }
        }

        graph.Node.Add(forward);
        var features = Headless.OutputName;
        shapes[features] = [ProbeBatch, Headless.FeatureSize];
        var wrt = Plan.Parameters.Select(p => p.Name).ToList();
        if (head is null)
        {
            graph.Output.Add(FloatValue(features, Dim("batch"), Dim(Headless.FeatureSize)));
        }
        else
        {
            AddHead(graph, shapes, wrt, features, head);
            graph.Output.Add(FloatValue(LogitsOutput, Dim("batch"), Dim(head[^1].Rows)));
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "ModelZoo.Training fine-tuning",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (!training)
        {
            return OnnxModel.FromProto(model);
        }

        return OnnxModel.FromProto(WithLossGradients(model, shapes, wrt, head![^1].Rows));
    }

    /// <summary><paramref name="model"/> with the gradients of the softmax cross-entropy with respect to <paramref name="wrt"/> as outputs.</summary>
    private static ModelProto WithLossGradients(ModelProto model, Dictionary<string, long[]> shapes, List<string> wrt, int classes)
    {
        // Softmax cross-entropy, differentiated by hand: dLoss/dLogits = rowWeight · (softmax − target).
        var graph = model.Graph;
        graph.Input.Add(FloatValue(TargetsInput, Dim("batch"), Dim(classes)));
        graph.Input.Add(FloatValue(WeightsInput, Dim("batch"), Dim(1)));
        var emitter = new GraphEmitter(graph, shapes);
        var probabilities = emitter.Emit("Softmax", [LogitsOutput], Int("axis", 1));
        var dLogits = emitter.Emit("Mul", [emitter.Emit("Sub", [probabilities, TargetsInput]), WeightsInput]);
        return GradientModel.Build(model, shapes, new Dictionary<string, string> { [LogitsOutput] = dLogits }, wrt);
    }

    /// <summary>Appends the head's Gemm (and Relu) nodes after <paramref name="features"/>, its weights as graph inputs (and to <paramref name="wrt"/>).</summary>
    private static void AddHead(GraphProto graph, Dictionary<string, long[]> shapes, List<string> wrt, string features, IReadOnlyList<HeadLayer> head)
    {
        var x = features;
        for (var i = 0; i < head.Count; i++)
        {
            var layer = head[i];
            var w = $"head/{i}/weight";
            var b = $"head/{i}/bias";
            graph.Input.Add(FloatValue(w, Dim(layer.Rows), Dim(layer.Cols)));
            graph.Input.Add(FloatValue(b, Dim(layer.Rows)));
            wrt.Add(w);
            wrt.Add(b);
            shapes[w] = [layer.Rows, layer.Cols];
            shapes[b] = [layer.Rows];
            var y = i == head.Count - 1 && layer.Activation == HeadActivation.None ? LogitsOutput : $"head/{i}/affine";
            var gemm = new NodeProto { OpType = "Gemm", Name = $"head/{i}/gemm" };
            gemm.Input.Add([x, w, b]);
            gemm.Output.Add(y);
            gemm.Attribute.Add(Int("transB", 1));
            graph.Node.Add(gemm);
            shapes[y] = [ProbeBatch, layer.Rows];
            x = y;
            if (layer.Activation == HeadActivation.Relu)
            {
                var relu = new NodeProto { OpType = "Relu", Name = $"head/{i}/relu" };
                var r = i == head.Count - 1 ? LogitsOutput : $"head/{i}/relu_out";
                relu.Input.Add(x);
                relu.Output.Add(r);
                graph.Node.Add(relu);
                shapes[r] = [ProbeBatch, layer.Rows];
                x = r;
            }
        }
    }

    /// <summary>A copy of <paramref name="original"/> valid at opset 14: attributes later opsets dropped are removed.</summary>
    private static NodeProto Upgrade(NodeProto original)
    {
        var node = original.Clone();
        var dropped = node.OpType switch
        {
            "BatchNormalization" => new[] { "spatial", "consumed_inputs", "is_test" },
            "Dropout" => ["ratio", "is_test", "seed"],
            _ => ["consumed_inputs"],
        };
        foreach (var a in node.Attribute.Where(a => dropped.Contains(a.Name)).ToList())
        {
            node.Attribute.Remove(a);
        }

        if (node.OpType == "Dropout")
        {
            // Inference: an identity; a mask output nobody reads is dropped.
            node.OpType = "Identity";
            while (node.Output.Count > 1)
            {
                node.Output.RemoveAt(node.Output.Count - 1);
            }

            while (node.Input.Count > 1)
            {
                node.Input.RemoveAt(node.Input.Count - 1);
            }
        }

        return node;
    }

    private static Dictionary<string, long[]> ProbeBackbone(HeadlessModel headless, ValueInfoProto input, SessionSettings settings)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count == 0 || dims.Skip(1).Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue))
        {
            throw ZooErrors.FineTuneInputShape.Raise(
                $"The backbone's input '{input.Name}' has no fixed shape after the batch axis, so the activations cannot be sized; fine-tune a model with a fixed input size.");
        }

        long[] shape = [ProbeBatch, .. dims.Skip(1).Select(d => d.DimValue)];
        var data = new float[shape.Aggregate(1L, (n, d) => n * d)];
        var random = new Random(7);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }

        return GraphProbe.Shapes(headless.Model.Proto, [new NamedTensor(input.Name, data, shape)], settings);
    }
}
