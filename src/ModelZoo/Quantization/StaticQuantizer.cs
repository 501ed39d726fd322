using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Static int8 quantization of an image model's ONNX graph, calibrated on the user's images preprocessed as the
/// card says: BatchNormalization folded into Conv, activations as uint8 QuantizeLinear/DequantizeLinear pairs,
/// weights int8 symmetric (per channel for Conv), biases int32. The preprocessing graph, Softmax and (by default)
/// the classifier head stay in float.
/// </summary>
public static class StaticQuantizer
{
    /// <summary>Default agreement a feature-vector (or other raw-output) model must reach: mean cosine to the float outputs.</summary>
    public const double DefaultCosineThreshold = 0.98;

    /// <summary>Default agreement a classifier must reach: share of images with the same top-1 class.</summary>
    public const double DefaultTop1Threshold = 0.95;

    /// <summary>Default agreement a detector must reach: F1 of its boxes against the float model's (same class, IoU ≥ 0.5).</summary>
    public const double DefaultDetectionThreshold = 0.9;

    /// <summary>Default agreement a pose model must reach: share of the float model's shown keypoints placed within
    /// 5 % of the image diagonal.</summary>
    public const double DefaultKeypointThreshold = 0.9;

    private static readonly HashSet<string> AlreadyQuantized = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
    };

    /// <summary>
    /// Quantizes <paramref name="model"/> and measures its agreement with the float model on the calibration images.
    /// </summary>
    /// <param name="model">The float model the card's file holds.</param>
    /// <param name="preprocess">The card's preprocessing graph, or null when it has none.</param>
    /// <param name="card">The model's card: input spec, task and output name.</param>
    /// <param name="calibration">Decoded calibration images (preprocessed here as the card says).</param>
    /// <param name="options">Calibration method, head handling, agreement threshold.</param>
    /// <param name="session">ONNX Runtime settings for the calibration and agreement sessions.</param>
    /// <exception cref="QuantizationRefusedException">The graph holds a node this quantizer cannot handle.</exception>
    public static QuantizedModel Quantize(OnnxModel model, OnnxModel? preprocess, ModelCard card, IReadOnlyList<RgbImage> calibration,
        QuantizationOptions? options = null, SessionSettings? session = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(calibration);
        options ??= new QuantizationOptions();
        session ??= new SessionSettings();
        var spec = FeatureExtractor.RequireInput(card);
        CheckArguments(model, card, spec, calibration, options);

        var work = PrepareFloatGraph(model);
        ModelProto? pre = null;
        if (preprocess is not null)
        {
            pre = preprocess.Proto.Clone();
            OpsetUpgrader.Upgrade(pre);
        }
        var preModel = pre is null ? null : OnnxModel.FromProto(pre);

        var (plan, ranges) = PlanAndCalibrate(work, preModel, card, calibration, options, session);
        var (tensors, weights) = QdqRewriter.Rewrite(work.Graph, plan, ranges);
        var result = OnnxModel.FromProto(work);
        result.Metadata["zoo.quantization"] = "static int8 QDQ (uint8 activations, int8 per-channel weights)";
        result.Metadata["zoo.quantization_method"] = options.MethodName;

        var agreement = MeasureAgreement(Compose(preprocess, model, spec), Compose(preModel, result, spec), card, calibration, session,
            options.MinimumAgreement);
        // Only a refused result needs to say where it strays: the comparison runs every node's output twice, on the
        // float graph prepared again (the rewrite edited the first one in place).
        var divergence = agreement.Passes ? new List<NodeDivergence>()
            : NodeComparison.Compare(PrepareFloatGraph(model), work, preModel, card, calibration, session);
        return new QuantizedModel(result, preModel, tensors, weights, plan.FloatNodes, agreement) { Divergence = divergence };
    }

    private static void CheckArguments(OnnxModel model, ModelCard card, InputSpec spec, IReadOnlyList<RgbImage> calibration, QuantizationOptions options)
    {
        if (calibration.Count == 0)
        {
            throw new ZooUsageException("no calibration images were given; pass a folder of photos like the ones the model will see.");
        }
        if (options.Method == CalibrationMethod.Percentile && options.Percentile is not (> 50 and <= 100))
        {
            throw new ZooUsageException($"percentile {options.Percentile} is out of range; give a value in (50, 100], e.g. 99.99.");
        }
        if (options.FloatTail < 0)
        {
            throw new ZooUsageException($"float tail {options.FloatTail} is negative; give 0 (quantize up to the head) or more.");
        }
        RequireFixedInput(card, spec);
        CheckSupported(model.Proto.Graph);
    }

    /// <summary>The nodes to run in int8 and the calibrated range of every tensor they read or write.</summary>
    private static (QuantizationPlan Plan, Dictionary<string, (float Low, float High)> Ranges) PlanAndCalibrate(ModelProto work, OnnxModel? preModel,
        ModelCard card, IReadOnlyList<RgbImage> calibration, QuantizationOptions options, SessionSettings session)
    {
        var plan = QuantizationPlan.Build(work.Graph, options.QuantizeHead, options.FloatTail);
        if (plan.IntegerNodes.Count == 0)
        {
            throw new QuantizationRefusedException(ZooErrors.QuantizeNothing,
                "the graph has no Conv, Gemm or MatMul with constant weights to run in int8; there is nothing to quantize in this model.");
        }
        var (ranges, nonFinite) = ActivationRanges.Collect(work, preModel, card, plan.Tensors, calibration, options, session);
        var floatTensors = new HashSet<string>(StringComparer.Ordinal);
        // A tensor that held infinities stays in float, and so does every node that would read it in int8; the new
        // plan may then quantize tensors it had not (a Relu no longer absorbed), which calibrate in another pass.
        for (var pass = 0; nonFinite.Count > 0 && pass < 8; pass++)
        {
            floatTensors.UnionWith(nonFinite);
            plan = QuantizationPlan.Build(work.Graph, options.QuantizeHead, options.FloatTail, floatTensors);
            var missing = plan.Tensors.Where(t => !ranges.ContainsKey(t)).ToList();
            nonFinite = [];
            if (missing.Count > 0)
            {
                var (more, moreNonFinite) = ActivationRanges.Collect(work, preModel, card, missing, calibration, options, session);
                foreach (var (tensor, range) in more)
                {
                    ranges[tensor] = range;
                }
                nonFinite = moreNonFinite;
            }
        }
        if (nonFinite.Count > 0)
        {
            throw new QuantizationRefusedException(ZooErrors.QuantizeUnsupportedOp,
                $"activation '{nonFinite.First()}' holds infinities on the calibration images, and keeping each such tensor in float kept finding more; export the model without infinite padding values.");
        }
        ActivationRanges.BoundByFollowingClamps(work.Graph, ranges);
        return (plan, ranges);
    }

    /// <summary>
    /// Compares two models that take the same input (e.g. a float model and its int8 version, each joined with its
    /// preprocessing graph) on <paramref name="images"/>: top-1 agreement for classifiers, boxes matched by class and
    /// IoU for detectors, keypoint distance for pose models, mean cosine otherwise.
    /// </summary>
    public static QuantizationAgreement MeasureAgreement(OnnxModel reference, OnnxModel candidate, ModelCard card,
        IReadOnlyList<RgbImage> images, SessionSettings? session = null, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(images);
        session ??= new SessionSettings();
        var spec = FeatureExtractor.RequireInput(card);
        // Composites name the inner model's input in the card, but take the outer input; the runner resolves that.
        var runSpec = spec;
        using var a = ModelSession.Open(reference, session);
        using var b = ModelSession.Open(candidate, session);
        if (TaskAgreement.Covers(card.Task))
        {
            return TaskAgreement.Measure(a, b, card, images, threshold);
        }
        var outputName = card.Output?.Name;
        var ra = new ImageBatchRunner(a, runSpec, outputName ?? a.Outputs[0].Name);
        var rb = new ImageBatchRunner(b, runSpec, outputName ?? b.Outputs[0].Name);
        var classifier = card.Task == ModelTask.ImageClassification;
        double cosineSum = 0, minimum = double.PositiveInfinity;
        var same = 0;
        foreach (var image in images)
        {
            var x = ra.Run([image])[0];
            var y = rb.Run([image])[0];
            var cosine = Cosine(x, y);
            cosineSum += cosine;
            minimum = Math.Min(minimum, cosine);
            if (ArgMax(x) == ArgMax(y))
            {
                same++;
            }
        }
        var count = Math.Max(images.Count, 1);
        return classifier
            ? new QuantizationAgreement("top1", (double)same / count, cosineSum / count, threshold ?? DefaultTop1Threshold, images.Count)
            : new QuantizationAgreement("cosine", cosineSum / count, minimum, threshold ?? DefaultCosineThreshold, images.Count);
    }

    /// <summary>
    /// Runs <paramref name="floatModel"/> and its int8 version on <paramref name="images"/> (at most the first
    /// <see cref="NodeComparison.MaxImages"/>) with every float node output exposed, and scores each node by the
    /// error it adds to what it received; the node that adds most comes first. For finding which node makes an
    /// int8 model stray, e.g. on photos unlike the calibration set.
    /// </summary>
    /// <param name="floatModel">The float model that was quantized.</param>
    /// <param name="quantized">Its int8 version.</param>
    /// <param name="card">The model's card (input spec).</param>
    /// <param name="images">Decoded images, preprocessed here as the card says.</param>
    /// <param name="session">ONNX Runtime settings for the two sessions.</param>
    public static IReadOnlyList<NodeDivergence> CompareNodes(OnnxModel floatModel, QuantizedModel quantized, ModelCard card,
        IReadOnlyList<RgbImage> images, SessionSettings? session = null)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(images);
        return NodeComparison.Compare(PrepareFloatGraph(floatModel), quantized.Model.Proto, quantized.Preprocess, card, images, session ?? new SessionSettings());
    }

    /// <summary>A copy of the float graph as the plan is made on it: upgraded to the quantizer's opset, batch norms and
    /// per-channel bias Adds folded, then Transposes moved together again (a folded bias no longer keeps a pair apart).
    /// The per-node comparison prepares its float side the same way, so both graphs name their tensors alike.</summary>
    private static ModelProto PrepareFloatGraph(OnnxModel model)
    {
        var work = model.Proto.Clone();
        OpsetUpgrader.Upgrade(work);
        BatchNormFolder.Fold(work.Graph);
        BiasFolder.Fold(work.Graph);
        TransposeSinker.Sink(work.Graph);
        return work;
    }

    private static OnnxModel Compose(OnnxModel? preprocess, OnnxModel model, InputSpec spec) =>
        preprocess is null ? model : GraphComposer.Prepend(preprocess, model, spec.Name);

    /// <summary>Checks that the card's input has a fixed size: calibration feeds one fixed-size tensor per image.</summary>
    /// <exception cref="QuantizationRefusedException">The model takes images at their own size.</exception>
    public static void RequireFixedInput(ModelCard card, InputSpec spec)
    {
        if (spec.Resize == ResizeMode.LimitSide)
        {
            throw new QuantizationRefusedException(ZooErrors.QuantizeDynamicInput,
                $"'{card.Handle}' takes images at their own size (resize limit-side), which calibration does not handle yet; quantize a model with a fixed input size.");
        }
    }

    private static void CheckSupported(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            var name = OpsetUpgrader.NodeName(node);
            if (!GraphIndex.IsDefaultDomain(node.Domain))
            {
                throw new QuantizationRefusedException(ZooErrors.QuantizeUnsupportedOp,
                    $"node '{name}' is {node.Domain}:{node.OpType}, outside the ONNX default domain, whose int8 behaviour is unknown; export the model with standard ONNX operators.");
            }
            if (AlreadyQuantized.Contains(node.OpType))
            {
                throw new QuantizationRefusedException(ZooErrors.QuantizeAlreadyQuantized,
                    $"node '{name}' ({node.OpType}) shows the model is already quantized; quantize the float model it came from instead.");
            }
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            {
                throw new QuantizationRefusedException(ZooErrors.QuantizeSubgraph,
                    $"node '{name}' ({node.OpType}) holds a subgraph, which static quantization does not handle; export the model without control flow.");
            }
        }
    }

    private static double Cosine(float[] x, float[] y)
    {
        double dot = 0, xx = 0, yy = 0;
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            dot += (double)x[i] * y[i];
            xx += (double)x[i] * x[i];
            yy += (double)y[i] * y[i];
        }
        return xx == 0 && yy == 0 ? 1 : dot / Math.Sqrt(xx * yy + 1e-30);
    }

    private static int ArgMax(float[] x)
    {
        var best = 0;
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }
        return best;
    }
}
