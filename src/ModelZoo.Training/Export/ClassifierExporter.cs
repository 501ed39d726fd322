using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Training.Export;

/// <summary>
/// Builds one portable ONNX classifier from a headless backbone and a trained head: RGB pixels in, class
/// probabilities out, with the backbone's preprocessing (channel order, scale, mean, std, layout and any publisher
/// preprocessing graph) inside the graph, so that any ONNX runtime can use the file without this library.
/// </summary>
/// <remarks>
/// The graph is: <c>pixels</c> float32 <c>[N,3,H,W]</c> RGB 0–255 → Gather to BGR (when the spec says BGR) →
/// <c>Mul</c>/<c>Add</c> by <c>Scale/Std</c> and <c>-Mean/Std</c> as <c>[1,3,1,1]</c> constants (the same float
/// constants the in-process preprocessor uses, so the two agree bit for bit) or <c>Cast</c> to uint8 for uint8 models →
/// <c>Transpose</c> to NHWC when the spec says NHWC → the preprocessing graph → the backbone → one <c>Gemm</c>
/// (<c>transB = 1</c>, plus <c>Relu</c>) per head layer → <c>Softmax</c> → <c>probabilities</c> <c>[N,C]</c>. Only ops
/// that exist unchanged since opset 7 are added, and the backbone's opset is kept, so a CNTK opset-8 model stays
/// opset 8. Images are resized and cropped before they are fed; that geometry is not part of the graph.
/// </remarks>
public static class ClassifierExporter
{
    /// <summary>The exported model's input: float32 <c>[batch, 3, H, W]</c>, RGB values 0–255.</summary>
    public const string PixelsInput = "pixels";

    /// <summary>The exported model's output: float32 <c>[batch, classes]</c>, each row summing to 1.</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>Metadata key naming the tensor the head reads (the backbone's features), so the head can be cut off again.</summary>
    public const string FeaturesTensorKey = "zoo.features_tensor";

    /// <summary>Metadata key giving the length of the feature vector the head reads.</summary>
    public const string FeatureSizeKey = "zoo.feature_size";

    private const long MinimumOpset = 7;

    /// <summary>
    /// Returns a new model: <see cref="PixelsInput"/> → in-graph normalisation from <paramref name="spec"/> →
    /// <paramref name="preprocessGraph"/> (if any) → <paramref name="backbone"/> → <paramref name="head"/> → softmax →
    /// <see cref="ProbabilitiesOutput"/>. The batch dimension is symbolic. <paramref name="metadata"/> is written to the
    /// model's <c>metadata_props</c>, together with <see cref="FeaturesTensorKey"/> and <see cref="FeatureSizeKey"/>.
    /// No argument is changed.
    /// </summary>
    /// <param name="backbone">A headless model from <see cref="HeadlessCutter.Cut(OnnxModel, string?)"/>.</param>
    /// <param name="spec">The backbone's input spec (from its card): size, channel order, scale, mean, std, layout, element type.</param>
    /// <param name="preprocessGraph">The card's preprocessing graph (<see cref="InputSpec.PreprocessGraph"/>), or null.</param>
    /// <param name="head">The head's layers in order; the first takes <see cref="HeadlessModel.FeatureSize"/> inputs.</param>
    /// <param name="metadata">Entries for <c>metadata_props</c> (labels, provenance, …).</param>
    /// <exception cref="ArgumentException">The head's layers do not chain or do not fit the backbone.</exception>
    /// <exception cref="ZooException">The spec cannot be expressed in the graph (code <c>export-input-unsupported</c>)
    /// or the backbone's opset is too old (<c>export-opset-unsupported</c>).</exception>
    public static OnnxModel Build(HeadlessModel backbone, InputSpec spec, OnnxModel? preprocessGraph,
        IReadOnlyList<HeadLayer> head, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(metadata);
        ValidateHead(head, backbone.FeatureSize);
        ValidateSpec(spec);
        var opset = backbone.Model.Opsets.GetValueOrDefault("");
        if (opset < MinimumOpset)
        {
            throw ZooErrors.ExportOpsetUnsupported.Raise(
                $"The backbone uses ONNX opset {opset}, older than {MinimumOpset}, whose Mul/Add need explicit broadcast flags; convert the model to a newer opset first.");
        }

        var model = Copy(backbone.Model);
        if (model.Outputs.All(o => o.Name != backbone.OutputName))
        {
            throw new ArgumentException($"The backbone has no output '{backbone.OutputName}'; pass the model HeadlessCutter.Cut returned.", nameof(backbone));
        }
        var batch = BatchDimension(model.Proto.Graph, backbone.OutputName);
        var target = spec.Name ?? model.Inputs[0].Name;
        if (preprocessGraph is not null)
        {
            var prefix = Copy(preprocessGraph);
            prefix.MakeBatchDynamic(batch.DimParam);
            var prefixInitializers = prefix.InitializerNames();
            target = prefix.Proto.Graph.Input.First(i => !prefixInitializers.Contains(i.Name)).Name;
            model = GraphComposer.Prepend(prefix, model, spec.Name, "pre/");
        }
        model = GraphComposer.Prepend(Normalizer(spec, batch, model.Proto), model, target, "zoo/input/");

        var graph = model.Proto.Graph;
        var index = new GraphIndex(graph);
        if (index.Contains(ProbabilitiesOutput))
        {
            throw ZooErrors.ExportNameClash.Raise(
                $"The backbone already has a tensor named '{ProbabilitiesOutput}'; cut it again with HeadlessCutter.Cut so that nothing after the features is left.");
        }
        var features = backbone.OutputName;
        var x = AppendHead(graph, index, head, features);
        var softmax = Node("Softmax", "head/softmax", [x], ProbabilitiesOutput);
        softmax.Attribute.Add(OnnxAttr.Int("axis", 1));
        graph.Node.Add(softmax);

        // The features stay described as an intermediate value, so that the head can be cut off again.
        var featureInfo = graph.Output.Single(o => o.Name == features);
        graph.Output.Clear();
        graph.ValueInfo.Add(featureInfo);
        graph.Output.Add(FloatValue(ProbabilitiesOutput, batch, head[^1].Rows));

        foreach (var (key, value) in metadata)
        {
            model.Metadata[key] = value;
        }
        model.Metadata[FeaturesTensorKey] = features;
        model.Metadata[FeatureSizeKey] = backbone.FeatureSize.ToString(CultureInfo.InvariantCulture);
        model.Proto.ProducerName = "ModelZoo.NET";
        model.Proto.ProducerVersion = typeof(ClassifierExporter).Assembly.GetName().Version?.ToString() ?? "";
        graph.Name = "zoo_classifier";
        return model;
    }

    // One Gemm per head layer (weights as initialisers), a Relu after hidden layers; returns the logits tensor.
    private static string AppendHead(GraphProto graph, GraphIndex index, IReadOnlyList<HeadLayer> head, string features)
    {
        var x = features;
        for (var i = 0; i < head.Count; i++)
        {
            var layer = head[i];
            var stem = string.Create(CultureInfo.InvariantCulture, $"head/{i}/");
            var weight = index.UniqueName(stem + "weight");
            var bias = index.UniqueName(stem + "bias");
            graph.Initializer.Add(FloatTensor(weight, layer.Weight, layer.Rows, layer.Cols));
            graph.Initializer.Add(FloatTensor(bias, layer.Bias, layer.Rows));
            var y = index.UniqueName(i == head.Count - 1 && layer.Activation != HeadActivation.Relu ? "head/logits" : stem + "gemm");
            var gemm = Node("Gemm", stem + "gemm", [x, weight, bias], y);
            gemm.Attribute.Add(OnnxAttr.Int("transB", 1));
            graph.Node.Add(gemm);
            x = y;
            if (layer.Activation == HeadActivation.Relu)
            {
                var relu = index.UniqueName(i == head.Count - 1 ? "head/logits" : stem + "relu");
                graph.Node.Add(Node("Relu", stem + "relu", [x], relu));
                x = relu;
            }
        }
        return x;
    }

    /// <summary>
    /// The prefix graph: pixels (NCHW RGB 0–255) → the tensor <paramref name="spec"/> describes. Its output feeds the
    /// model input the composer names; every other name gets the composer's prefix.
    /// </summary>
    private static OnnxModel Normalizer(InputSpec spec, TensorShapeProto.Types.Dimension batch, ModelProto host)
    {
        var graph = new GraphProto { Name = "zoo_input" };
        graph.Input.Add(FloatValue(PixelsInput, batch, 3, spec.Height, spec.Width));
        var x = PixelsInput;
        if (spec.ColorOrder == ColorOrder.Bgr)
        {
            var order = new TensorProto { Name = "bgr_order", DataType = (int)TensorProto.Types.DataType.Int64 };
            order.Dims.Add(3);
            order.Int64Data.Add([2, 1, 0]);
            graph.Initializer.Add(order);
            var gather = Node("Gather", "to_bgr", [x, "bgr_order"], "bgr");
            gather.Attribute.Add(OnnxAttr.Int("axis", 1));
            graph.Node.Add(gather);
            x = "bgr";
        }
        if (spec.ElementType == "uint8")
        {
            var cast = Node("Cast", "to_uint8", [x], "bytes");
            cast.Attribute.Add(OnnxAttr.Int("to", (int)TensorProto.Types.DataType.Uint8));
            graph.Node.Add(cast);
            x = "bytes";
        }
        else
        {
            // v * (Scale / Std) + (-Mean / Std), computed in float exactly as ImagePreprocessor does.
            var a = new float[3];
            var b = new float[3];
            for (var c = 0; c < 3; c++)
            {
                var mean = spec.Mean.Count == 1 ? spec.Mean[0] : spec.Mean[c];
                var std = spec.Std.Count == 1 ? spec.Std[0] : spec.Std[c];
                a[c] = spec.Scale / std;
                b[c] = -mean / std;
            }
            graph.Initializer.Add(FloatTensor("scale", a, 1, 3, 1, 1));
            graph.Initializer.Add(FloatTensor("shift", b, 1, 3, 1, 1));
            graph.Node.Add(Node("Mul", "scale", [x, "scale"], "scaled"));
            graph.Node.Add(Node("Add", "shift", ["scaled", "shift"], "normalized"));
            x = "normalized";
        }
        if (spec.Layout == TensorLayout.Nhwc)
        {
            var transpose = Node("Transpose", "to_nhwc", [x], "nhwc");
            transpose.Attribute.Add(OnnxAttr.Ints("perm", [0, 2, 3, 1]));
            graph.Node.Add(transpose);
            x = "nhwc";
        }
        if (x == PixelsInput)
        {
            graph.Node.Add(Node("Identity", "pass", [x], "image"));
            x = "image";
        }
        graph.Output.Add(new ValueInfoProto { Name = x });
        var proto = new ModelProto { IrVersion = host.IrVersion, Graph = graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = host.OpsetImport.First(o => OnnxModel.NormalizeDomain(o.Domain).Length == 0).Version });
        return OnnxModel.FromProto(proto);
    }

    private static void ValidateHead(IReadOnlyList<HeadLayer> head, int featureSize)
    {
        if (head.Count == 0)
        {
            throw new ArgumentException("The head has no layers; pass at least one.", nameof(head));
        }
        for (var i = 0; i < head.Count; i++)
        {
            var layer = head[i] ?? throw new ArgumentException($"Head layer {i} is null.", nameof(head));
            if (layer.Rows < 1 || layer.Cols < 1 || layer.Weight is null || layer.Bias is null
                || layer.Weight.Length != (long)layer.Rows * layer.Cols || layer.Bias.Length != layer.Rows)
            {
                throw new ArgumentException(
                    $"Head layer {i} declares [{layer.Rows}, {layer.Cols}] but has {layer.Weight?.Length ?? 0} weights and {layer.Bias?.Length ?? 0} biases; pass Rows × Cols weights and Rows biases.", nameof(head));
            }
            var inputs = i == 0 ? featureSize : head[i - 1].Rows;
            if (layer.Cols != inputs)
            {
                throw new ArgumentException(i == 0
                    ? $"Head layer 0 takes {layer.Cols} inputs but the backbone gives {featureSize} features; train the head on this backbone's features."
                    : $"Head layer {i} takes {layer.Cols} inputs but layer {i - 1} gives {inputs}; pass layers that chain.", nameof(head));
            }
        }
    }

    private static void ValidateSpec(InputSpec spec)
    {
        string? problem = null;
        if (spec.ColorOrder == ColorOrder.Gray)
            problem = "a grayscale input";
        else if (spec.ElementType is not ("float32" or "uint8"))
            problem = $"input element type '{spec.ElementType}'";
        else if (spec.Width <= 0 || spec.Height <= 0)
            problem = $"input size {spec.Width}x{spec.Height}";
        else if (spec.Mean.Count is not (1 or 3) || spec.Std.Count is not (1 or 3) || spec.Std.Any(s => s == 0f || !float.IsFinite(s)))
            problem = "mean/std that are not 1 or 3 finite values (std non-zero)";
        if (problem is not null)
        {
            throw ZooErrors.ExportInputUnsupported.Raise(
                $"The exporter cannot build {problem} into the graph; export a backbone with a 3-channel float32 or uint8 input, or fix its card's input section.");
        }
    }

    /// <summary>The batch dimension to declare: the symbol of the features output if it has one, else <c>batch</c>.</summary>
    private static TensorShapeProto.Types.Dimension BatchDimension(GraphProto graph, string features)
    {
        var info = graph.Output.FirstOrDefault(o => o.Name == features);
        var symbol = info?.Type?.TensorType?.Shape is { Dim.Count: > 0 } shape
                     && shape.Dim[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam
                     && shape.Dim[0].DimParam.Length > 0
            ? shape.Dim[0].DimParam
            : "batch";
        return new TensorShapeProto.Types.Dimension { DimParam = symbol };
    }

    private static OnnxModel Copy(OnnxModel model) => OnnxModel.FromProto(model.Proto.Clone());

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }
        tensor.RawData = Google.Protobuf.ByteString.CopyFrom(raw);
        return tensor;
    }

    private static ValueInfoProto FloatValue(string name, TensorShapeProto.Types.Dimension batch, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(batch.Clone());
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
