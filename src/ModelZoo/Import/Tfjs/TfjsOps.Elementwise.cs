namespace ModelZoo.Import.Tfjs;

internal static partial class TfjsOps
{
    private const int MaxFoldElements = 1 << 16;

    private static void RegisterElementwise(Dictionary<string, Action<TfjsConverter>> t)
    {
        foreach (var op in new[] { "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "DivNoNan", "Maximum", "Minimum", "Pow",
                     "SquaredDifference", "FloorDiv", "FloorMod", "Greater", "Less", "Equal", "NotEqual", "GreaterEqual",
                     "LessEqual", "LogicalAnd", "LogicalOr" })
        {
            var name = op;
            t[op] = c => Binary(c, name);
        }
        t["BiasAdd"] = BiasAdd;
        t["Prelu"] = c => c.Set(c.Op("PRelu", [c.In(0), c.In(1)], TensorType.Float, c.In(0).Shape));
        t["AddN"] = AddN;

        Unary(t, "Relu", "Relu");
        Unary(t, "Elu", "Elu");
        Unary(t, "Selu", "Selu");
        Unary(t, "Sigmoid", "Sigmoid");
        Unary(t, "Tanh", "Tanh");
        Unary(t, "Exp", "Exp");
        Unary(t, "Log", "Log");
        Unary(t, "Sqrt", "Sqrt");
        Unary(t, "Neg", "Neg");
        Unary(t, "Abs", "Abs");
        Unary(t, "Floor", "Floor");
        Unary(t, "Ceil", "Ceil");
        Unary(t, "Round", "Round");
        Unary(t, "Reciprocal", "Reciprocal");
        Unary(t, "Inv", "Reciprocal");
        Unary(t, "Sin", "Sin");
        Unary(t, "Cos", "Cos");
        Unary(t, "Tan", "Tan");
        Unary(t, "Asin", "Asin");
        Unary(t, "Acos", "Acos");
        Unary(t, "Atan", "Atan");
        Unary(t, "Sinh", "Sinh");
        Unary(t, "Cosh", "Cosh");
        Unary(t, "Erf", "Erf");
        Unary(t, "Sign", "Sign");
        Unary(t, "Softplus", "Softplus");
        Unary(t, "LogicalNot", "Not");
        t["IsNan"] = c => c.Set(c.Op("IsNaN", [c.In(0)], TensorType.Bool, c.In(0).Shape));
        t["Relu6"] = c => c.Set(Activation(c, c.In(0), "Relu6", 0f));
        t["LeakyRelu"] = c => c.Set(Activation(c, c.In(0), "LeakyRelu", c.Node.Float("alpha", 0.2f)));
        t["Rsqrt"] = c =>
        {
            var x = c.In(0);
            c.Set(c.Op("Reciprocal", [c.Op("Sqrt", [x], x.Type, x.Shape)], x.Type, x.Shape));
        };
        t["Square"] = c =>
        {
            var x = c.In(0);
            c.Set(c.Op("Mul", [x, x], x.Type, x.Shape));
        };
        t["Softmax"] = c => c.Set(c.Op("Softmax", [c.In(0)], TensorType.Float, c.In(0).Shape, OnnxAttr.Int("axis", -1)));
        t["LogSoftmax"] = c => c.Set(c.Op("LogSoftmax", [c.In(0)], TensorType.Float, c.In(0).Shape, OnnxAttr.Int("axis", -1)));
        t["Atan2"] = Atan2;
    }

    private static void Unary(Dictionary<string, Action<TfjsConverter>> t, string tfOp, string onnxOp) =>
        t[tfOp] = c =>
        {
            var x = c.In(0);
            c.Set(c.Op(onnxOp, [x], x.Type, x.Shape));
        };

    /// <summary>Applies a TensorFlow activation by name (also used by the fused conv and matmul ops).</summary>
    internal static TfValue Activation(TfjsConverter c, TfValue x, string name, float alpha, TfValue? preluAlpha = null) => name switch
    {
        "Relu" => c.Op("Relu", [x], x.Type, x.Shape),
        "Relu6" => c.Op("Clip", [x, c.Scalar(x.Type, 0), c.Scalar(x.Type, 6)], x.Type, x.Shape),
        "Elu" => c.Op("Elu", [x], x.Type, x.Shape),
        "Selu" => c.Op("Selu", [x], x.Type, x.Shape),
        "Sigmoid" => c.Op("Sigmoid", [x], x.Type, x.Shape),
        "Tanh" => c.Op("Tanh", [x], x.Type, x.Shape),
        "LeakyRelu" => c.Op("LeakyRelu", [x], x.Type, x.Shape, OnnxAttr.Float("alpha", alpha)),
        "Prelu" => c.Op("PRelu", [x, preluAlpha ?? throw NotSupported("Prelu needs an alpha argument")], x.Type, x.Shape),
        _ => throw NotSupported($"fused activation '{name}' is not supported"),
    };

    private static void BiasAdd(TfjsConverter c)
    {
        var x = c.In(0);
        var bias = c.In(1);
        if (c.Node.String("data_format", "NHWC") == "NCHW")
        {
            var rank = x.Rank ?? throw NotSupported("BiasAdd in NCHW needs the input rank");
            var trailing = Enumerable.Range(1, rank - 2).Select(i => (long)i).ToArray();
            bias = c.Unsqueeze(bias, trailing);
        }
        c.Set(c.Op("Add", [x, bias], x.Type, Shapes.Broadcast(x.Shape, bias.Shape)));
    }

    private static void AddN(TfjsConverter c)
    {
        var inputs = Enumerable.Range(0, c.InputCount).Select(c.In).ToList();
        if (inputs.Count == 1)
        {
            c.Set(inputs[0]);
            return;
        }
        var shape = inputs.Select(v => v.Shape).Aggregate(Shapes.Broadcast);
        c.Set(c.Op("Sum", inputs.Cast<TfValue?>().ToList(), inputs[0].Type, shape));
    }

    private static bool IsComparison(string op) =>
        op is "Greater" or "Less" or "Equal" or "NotEqual" or "GreaterEqual" or "LessEqual" or "LogicalAnd" or "LogicalOr";

    private static void Binary(TfjsConverter c, string op)
    {
        var a = c.In(0);
        var b = c.Cast(c.In(1), c.In(0).Type);
        var shape = Shapes.Broadcast(a.Shape, b.Shape);
        var resultType = IsComparison(op) ? TensorType.Bool : a.Type;
        if (a.Const is { } ca && b.Const is { } cb && shape is not null && Shapes.IsStatic(shape)
            && Shapes.ElementCount(shape) <= MaxFoldElements)
        {
            c.Set(c.Constant(FoldBinary(op, ca, cb, shape, resultType)));
            return;
        }
        var isInt = a.Type is TensorType.Int32 or TensorType.Int64;
        TfValue result = op switch
        {
            "Add" or "AddV2" => c.Op("Add", [a, b], a.Type, shape),
            "Sub" => c.Op("Sub", [a, b], a.Type, shape),
            "Mul" => c.Op("Mul", [a, b], a.Type, shape),
            // TensorFlow.js divides integer tensors with floor division.
            "RealDiv" or "Div" when isInt => FloorDivide(c, a, b, shape),
            "RealDiv" or "Div" => c.Op("Div", [a, b], a.Type, shape),
            "DivNoNan" => DivNoNan(c, a, b, shape),
            "Maximum" => c.Op("Max", [a, b], a.Type, shape),
            "Minimum" => c.Op("Min", [a, b], a.Type, shape),
            "Pow" => c.Op("Pow", [a, b], a.Type, shape),
            "SquaredDifference" => Square(c, c.Op("Sub", [a, b], a.Type, shape)),
            "FloorDiv" when isInt => FloorDivide(c, a, b, shape),
            "FloorDiv" => c.Op("Floor", [c.Op("Div", [a, b], a.Type, shape)], a.Type, shape),
            "FloorMod" when isInt => c.Op("Mod", [a, b], a.Type, shape, OnnxAttr.Int("fmod", 0)),
            "FloorMod" => FloatFloorMod(c, a, b, shape),
            "Greater" => c.Op("Greater", [a, b], TensorType.Bool, shape),
            "Less" => c.Op("Less", [a, b], TensorType.Bool, shape),
            "Equal" => c.Op("Equal", [a, b], TensorType.Bool, shape),
            "NotEqual" => c.Op("Not", [c.Op("Equal", [a, b], TensorType.Bool, shape)], TensorType.Bool, shape),
            "GreaterEqual" => c.Op("GreaterOrEqual", [a, b], TensorType.Bool, shape),
            "LessEqual" => c.Op("LessOrEqual", [a, b], TensorType.Bool, shape),
            "LogicalAnd" => c.Op("And", [a, b], TensorType.Bool, shape),
            "LogicalOr" => c.Op("Or", [a, b], TensorType.Bool, shape),
            _ => throw NotSupported($"binary op {op}"),
        };
        c.Set(result);
    }

    private static TfValue Square(TfjsConverter c, TfValue x) => c.Op("Mul", [x, x], x.Type, x.Shape);

    // Exact floor division for integers: (a - floormod(a, b)) / b divides evenly, so truncation equals floor.
    private static TfValue FloorDivide(TfjsConverter c, TfValue a, TfValue b, long[]? shape)
    {
        var mod = c.Op("Mod", [a, b], a.Type, shape, OnnxAttr.Int("fmod", 0));
        var exact = c.Op("Sub", [a, mod], a.Type, shape);
        return c.Op("Div", [exact, b], a.Type, shape);
    }

    private static TfValue FloatFloorMod(TfjsConverter c, TfValue a, TfValue b, long[]? shape)
    {
        var q = c.Op("Floor", [c.Op("Div", [a, b], a.Type, shape)], a.Type, shape);
        return c.Op("Sub", [a, c.Op("Mul", [q, b], a.Type, shape)], a.Type, shape);
    }

    private static TfValue DivNoNan(TfjsConverter c, TfValue a, TfValue b, long[]? shape)
    {
        var zero = c.Scalar(b.Type, 0);
        var isZero = c.Op("Equal", [b, zero], TensorType.Bool, b.Shape);
        var safe = c.Op("Where", [isZero, c.Scalar(b.Type, 1), b], b.Type, b.Shape);
        var q = c.Op("Div", [a, safe], a.Type, shape);
        return c.Op("Where", [isZero, zero, q], a.Type, shape);
    }

    // atan2(y, x) from Atan and quadrant corrections, with atan2(0, 0) = 0 as in TensorFlow.
    private static void Atan2(TfjsConverter c)
    {
        var y = c.In(0);
        var x = c.In(1);
        var shape = Shapes.Broadcast(y.Shape, x.Shape);
        var f = TensorType.Float;
        var zero = c.Scalar(f, 0);
        var xPos = c.Op("Greater", [x, zero], TensorType.Bool, x.Shape);
        var xNeg = c.Op("Less", [x, zero], TensorType.Bool, x.Shape);
        var yNeg = c.Op("Less", [y, zero], TensorType.Bool, y.Shape);
        var yPos = c.Op("Greater", [y, zero], TensorType.Bool, y.Shape);
        var safeX = c.Op("Where", [c.Op("Equal", [x, zero], TensorType.Bool, x.Shape), c.Scalar(f, 1), x], f, x.Shape);
        var atan = c.Op("Atan", [c.Op("Div", [y, safeX], f, shape)], f, shape);
        var plusPi = c.Op("Add", [atan, c.Scalar(f, Math.PI)], f, shape);
        var minusPi = c.Op("Sub", [atan, c.Scalar(f, Math.PI)], f, shape);
        var negative = c.Op("Where", [yNeg, minusPi, plusPi], f, shape);
        var axis = c.Op("Where", [yPos, c.Scalar(f, Math.PI / 2), c.Op("Where", [yNeg, c.Scalar(f, -Math.PI / 2), zero], f, y.Shape)], f, y.Shape);
        var notPositive = c.Op("Where", [xNeg, negative, axis], f, shape);
        c.Set(c.Op("Where", [xPos, atan, notPositive], f, shape));
    }

    private static ConstTensor FoldBinary(string op, ConstTensor a, ConstTensor b, long[] shape, TensorType resultType)
    {
        var av = a.ToDoubles();
        var bv = b.ToDoubles();
        var count = (int)Shapes.ElementCount(shape);
        var result = new double[count];
        var isInt = a.Type is TensorType.Int32 or TensorType.Int64;
        var rank = shape.Length;
        var aIdx = BroadcastIndex(a.Shape, shape);
        var bIdx = BroadcastIndex(b.Shape, shape);
        for (var i = 0; i < count; i++)
        {
            double x = av[aIdx[i]], y = bv[bIdx[i]];
            result[i] = op switch
            {
                "Add" or "AddV2" => x + y,
                "Sub" => x - y,
                "Mul" => x * y,
                "RealDiv" or "Div" => isInt ? Math.Floor(x / y) : (float)x / (float)y,
                "DivNoNan" => y == 0 ? 0 : x / y,
                "Maximum" => Math.Max(x, y),
                "Minimum" => Math.Min(x, y),
                "Pow" => Math.Pow(x, y),
                "SquaredDifference" => (x - y) * (x - y),
                "FloorDiv" => Math.Floor(x / y),
                "FloorMod" => x - Math.Floor(x / y) * y,
                "Greater" => x > y ? 1 : 0,
                "Less" => x < y ? 1 : 0,
                "Equal" => x == y ? 1 : 0,
                "NotEqual" => x != y ? 1 : 0,
                "GreaterEqual" => x >= y ? 1 : 0,
                "LessEqual" => x <= y ? 1 : 0,
                "LogicalAnd" => x != 0 && y != 0 ? 1 : 0,
                "LogicalOr" => x != 0 || y != 0 ? 1 : 0,
                _ => throw NotSupported($"binary op {op}"),
            };
        }
        _ = rank;
        return ConstTensor.FromDoubles(resultType, shape, result);
    }

    /// <summary>For each element of <paramref name="outShape"/>, the flat index of the broadcast source element.</summary>
    internal static int[] BroadcastIndex(long[] inShape, long[] outShape)
    {
        var count = (int)Shapes.ElementCount(outShape);
        var result = new int[count];
        var rank = outShape.Length;
        var offset = rank - inShape.Length;
        var inStrides = Shapes.Strides(inShape);
        var index = new long[rank];
        for (var i = 0; i < count; i++)
        {
            long src = 0;
            for (var d = offset; d < rank; d++)
            {
                if (inShape[d - offset] != 1)
                {
                    src += index[d] * inStrides[d - offset];
                }
            }
            result[i] = (int)src;
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < outShape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }
}
