using ModelZoo.Onnx.Proto;
using static ModelZoo.Training.FineTuning.Gradients.GraphEmitter;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>
/// The gradient rule of every operator the fine-tuner can train through, one entry per op type. Every rule emits
/// standard ONNX ops (opset 14) that ONNX Runtime runs on the CPU; a node whose op is missing here, or whose
/// attributes a rule does not handle, stops the build with a <see cref="ZooException"/> naming it.
/// </summary>
internal static class GradientRules
{
    private static readonly Dictionary<string, GradientRule> Table = new(StringComparer.Ordinal)
    {
        ["Conv"] = ConvRule.Gradient,
        ["BatchNormalization"] = BatchNorm,
        ["Relu"] = Relu,
        ["Clip"] = Clip,
        ["LeakyRelu"] = LeakyRelu,
        ["Sigmoid"] = Sigmoid,
        ["HardSwish"] = HardSwish,
        ["Add"] = Add,
        ["Sub"] = Sub,
        ["Mul"] = Mul,
        ["GlobalAveragePool"] = GlobalAveragePool,
        ["AveragePool"] = ConvRule.AveragePool,
        ["ReduceMean"] = ReduceMean,
        ["Flatten"] = Reshape,
        ["Reshape"] = Reshape,
        ["Squeeze"] = Reshape,
        ["Unsqueeze"] = Reshape,
        ["Identity"] = PassThrough,
        ["Dropout"] = PassThrough,
        ["Transpose"] = Transpose,
        ["Gemm"] = Gemm,
        ["MatMul"] = MatMul,
    };

    /// <summary>The op types that have a rule, sorted.</summary>
    public static IReadOnlyList<string> Supported { get; } = Table.Keys.Order(StringComparer.Ordinal).ToList();

    public static bool Supports(string opType) => Table.ContainsKey(opType);

    public static GradientRule? Find(string opType) => Table.GetValueOrDefault(opType);

    /// <summary>A rule cannot handle this node's attributes.</summary>
    public static ZooException Unsupported(NodeProto node, string what) =>
        new(ZooErrors.FineTuneOpUnsupported,
            $"Cannot fine-tune through {node.OpType} node '{node.Name}': {what}; unfreeze fewer layers (a smaller TransferOptions.Unfreeze) so that the split comes after it.");

    private static string?[] PassThrough(NodeProto node, string dy, bool[] needed, GraphEmitter e) => [dy];

    private static string?[] Reshape(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var result = new string?[node.Input.Count];
        result[0] = e.Emit("Reshape", [dy, e.Emit("Shape", [node.Input[0]])]);
        return result;
    }

    private static string?[] Relu(NodeProto node, string dy, bool[] needed, GraphEmitter e) =>
        [e.Emit("Where", [e.Emit("Greater", [node.Output[0], e.Scalar(0f)]), dy, e.Scalar(0f)])];

    private static string?[] LeakyRelu(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var alpha = FloatAttribute(node, "alpha", 0.01f);
        return [e.Emit("Where", [e.Emit("Greater", [node.Input[0], e.Scalar(0f)]), dy, e.Emit("Mul", [dy, e.Scalar(alpha)])])];
    }

    private static string?[] Sigmoid(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var y = node.Output[0];
        var slope = e.Emit("Mul", [y, e.Emit("Sub", [e.Scalar(1f), y])]);
        return [e.Emit("Mul", [dy, slope])];
    }

    private static string?[] HardSwish(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        // y = x·relu6(x+3)/6: slope 0 below -3, 1 above 3, (2x+3)/6 between.
        var x = node.Input[0];
        var middle = e.Emit("Add", [e.Emit("Mul", [x, e.Scalar(1f / 3f)]), e.Scalar(0.5f)]);
        var upper = e.Emit("Where", [e.Emit("Greater", [x, e.Scalar(3f)]), e.Scalar(1f), middle]);
        var slope = e.Emit("Where", [e.Emit("Less", [x, e.Scalar(-3f)]), e.Scalar(0f), upper]);
        return [e.Emit("Mul", [dy, slope])];
    }

    private static string?[] Clip(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var result = new string?[node.Input.Count];
        float? min = null, max = null;
        if (node.Attribute.Any(a => a.Name is "min" or "max"))
        {
            min = node.Attribute.Any(a => a.Name == "min") ? FloatAttribute(node, "min", 0) : null;
            max = node.Attribute.Any(a => a.Name == "max") ? FloatAttribute(node, "max", 0) : null;
        }
        else
        {
            min = Bound(node, 1, e);
            max = Bound(node, 2, e);
        }

        var x = node.Input[0];
        string? inside = null;
        if (min is { } lo)
        {
            inside = e.Emit("Greater", [x, e.Scalar(lo)]);
        }

        if (max is { } hi)
        {
            var below = e.Emit("Less", [x, e.Scalar(hi)]);
            inside = inside is null ? below : e.Emit("And", [inside, below]);
        }

        result[0] = inside is null ? dy : e.Emit("Where", [inside, dy, e.Scalar(0f)]);
        return result;
    }

    private static float? Bound(NodeProto node, int index, GraphEmitter e)
    {
        if (node.Input.Count <= index || node.Input[index].Length == 0)
        {
            return null;
        }

        var constant = e.Constant(node.Input[index]) ?? throw Unsupported(node, "its min/max bound is computed, not a constant");
        return ReadFloats(constant)[0];
    }

    private static string?[] Add(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var outShape = e.ShapeOf(node.Output[0]);
        var result = new string?[2];
        for (var i = 0; i < 2; i++)
        {
            if (needed[i])
            {
                result[i] = e.ReduceToShape(dy, outShape, e.ShapeOf(node.Input[i]));
            }
        }

        return result;
    }

    private static string?[] Sub(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var outShape = e.ShapeOf(node.Output[0]);
        var result = new string?[2];
        if (needed[0])
        {
            result[0] = e.ReduceToShape(dy, outShape, e.ShapeOf(node.Input[0]));
        }

        if (needed[1])
        {
            result[1] = e.ReduceToShape(e.Emit("Neg", [dy]), outShape, e.ShapeOf(node.Input[1]));
        }

        return result;
    }

    private static string?[] Mul(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var outShape = e.ShapeOf(node.Output[0]);
        var result = new string?[2];
        for (var i = 0; i < 2; i++)
        {
            if (needed[i])
            {
                var other = node.Input[1 - i];
                result[i] = e.ReduceToShape(e.Emit("Mul", [dy, other]), outShape, e.ShapeOf(node.Input[i]));
            }
        }

        return result;
    }

    private static string?[] GlobalAveragePool(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var shape = e.ShapeOf(node.Input[0]);
        var count = shape.Skip(2).Aggregate(1L, (n, d) => n * d);
        var spread = e.Emit("Expand", [dy, e.Emit("Shape", [node.Input[0]])]);
        return [e.Emit("Mul", [spread, e.Scalar(1f / count)])];
    }

    private static string?[] ReduceMean(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var result = new string?[node.Input.Count];
        var inShape = e.ShapeOf(node.Input[0]);
        var rank = inShape.Length;
        long[] axes;
        if (node.Input.Count > 1 && node.Input[1].Length > 0)
        {
            axes = ReadLongs(e.Constant(node.Input[1]) ?? throw Unsupported(node, "its axes are computed, not a constant"));
        }
        else
        {
            axes = IntsAttribute(node, "axes") ?? Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        }

        axes = axes.Select(a => a < 0 ? a + rank : a).Order().ToArray();
        var count = axes.Aggregate(1L, (n, a) => n * inShape[a]);
        var kept = IntAttribute(node, "keepdims", 1) != 0 ? dy : e.Emit("Unsqueeze", [dy, e.Longs(axes)]);
        var spread = e.Emit("Expand", [kept, e.Emit("Shape", [node.Input[0]])]);
        result[0] = e.Emit("Mul", [spread, e.Scalar(1f / count)]);
        return result;
    }

    private static string?[] Transpose(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var rank = e.ShapeOf(node.Input[0]).Length;
        var perm = IntsAttribute(node, "perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        var inverse = new long[perm.Length];
        for (var i = 0; i < perm.Length; i++)
        {
            inverse[perm[i]] = i;
        }

        return [e.Emit("Transpose", [dy], Ints("perm", inverse))];
    }

    private static string?[] Gemm(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        if (IntAttribute(node, "transA", 0) != 0)
        {
            throw Unsupported(node, "transA = 1 is not supported");
        }

        var alpha = FloatAttribute(node, "alpha", 1f);
        var beta = FloatAttribute(node, "beta", 1f);
        var transB = IntAttribute(node, "transB", 0) != 0;
        var a = node.Input[0];
        var b = node.Input[1];
        var result = new string?[node.Input.Count];
        if (needed[0])
        {
            // Y = A·B (or A·Bᵀ): dA = dY·Bᵀ (or dY·B).
            result[0] = e.Emit("Gemm", [dy, b], Float("alpha", alpha), Int("transB", transB ? 0 : 1));
        }

        if (needed[1])
        {
            // dB = Aᵀ·dY, or dBᵀ: dYᵀ·A.
            result[1] = transB
                ? e.Emit("Gemm", [dy, a], Float("alpha", alpha), Int("transA", 1))
                : e.Emit("Gemm", [a, dy], Float("alpha", alpha), Int("transA", 1));
        }

        if (node.Input.Count > 2 && node.Input[2].Length > 0 && needed[2])
        {
            var scaled = beta == 1f ? dy : e.Emit("Mul", [dy, e.Scalar(beta)]);
            result[2] = e.ReduceToShape(scaled, e.ShapeOf(node.Output[0]), e.ShapeOf(node.Input[2]));
        }

        return result;
    }

    private static string?[] MatMul(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var aShape = e.ShapeOf(node.Input[0]);
        var bShape = e.ShapeOf(node.Input[1]);
        if (bShape.Length != 2 || aShape.Length < 2)
        {
            throw Unsupported(node, "only a matrix (2-D) right operand and an input of rank 2 or more are supported");
        }

        var result = new string?[2];
        if (needed[0])
        {
            result[0] = e.Emit("MatMul", [dy, e.Emit("Transpose", [node.Input[1]], Ints("perm", [1, 0]))]);
        }

        if (needed[1])
        {
            var a = node.Input[0];
            var g = dy;
            if (aShape.Length > 2)
            {
                a = e.Emit("Reshape", [a, e.Longs(-1, aShape[^1])]);
                g = e.Emit("Reshape", [dy, e.Longs(-1, bShape[1])]);
            }

            result[1] = e.Emit("Gemm", [a, g], Int("transA", 1));
        }

        return result;
    }

    private static string?[] BatchNorm(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        if (IntAttribute(node, "training_mode", 0) != 0 || node.Output.Count > 1 && node.Output.Skip(1).Any(o => o.Length > 0))
        {
            throw Unsupported(node, "only inference-mode batch normalisation (running statistics) is supported");
        }

        var mean = e.Constant(node.Input[3]);
        var variance = e.Constant(node.Input[4]);
        if (mean is null || variance is null)
        {
            throw Unsupported(node, "its running mean and variance must be constants");
        }

        var epsilon = FloatAttribute(node, "epsilon", 1e-5f);
        var meanValues = ReadFloats(mean);
        var invStd = ReadFloats(variance).Select(v => 1f / MathF.Sqrt(v + epsilon)).ToArray();
        var rank = e.ShapeOf(node.Input[0]).Length;
        var channels = meanValues.Length;
        var broadcast = new long[rank];
        Array.Fill(broadcast, 1L);
        broadcast[1] = channels;
        var reduceAxes = Enumerable.Range(0, rank).Where(i => i != 1).Select(i => (long)i).ToArray();
        var invStdB = e.Floats(invStd, broadcast);
        var result = new string?[node.Input.Count];
        if (needed[0])
        {
            var scale = e.Emit("Mul", [e.Emit("Reshape", [node.Input[1], e.Longs(broadcast)]), invStdB]);
            result[0] = e.Emit("Mul", [dy, scale]);
        }

        if (needed[1])
        {
            var centred = e.Emit("Sub", [node.Input[0], e.Floats(meanValues, broadcast)]);
            var normalised = e.Emit("Mul", [centred, invStdB]);
            result[1] = e.Emit("ReduceSum", [e.Emit("Mul", [dy, normalised]), e.Longs(reduceAxes)], Int("keepdims", 0));
        }

        if (needed[2])
        {
            result[2] = e.Emit("ReduceSum", [dy, e.Longs(reduceAxes)], Int("keepdims", 0));
        }

        if (needed[3] || needed[4])
        {
            throw Unsupported(node, "its running statistics cannot be trained");
        }

        return result;
    }
}
