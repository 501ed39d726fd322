namespace ModelZoo.Import.Tfjs;

/// <summary>Reductions, arg-max, top-k, resizing and selection.</summary>
internal static partial class TfjsOps
{
    private static void RegisterReduction(Dictionary<string, Action<TfjsConverter>> t)
    {
        t["Mean"] = c => Reduce(c, "ReduceMean");
        t["Sum"] = c => Reduce(c, "ReduceSum");
        t["Max"] = c => Reduce(c, "ReduceMax");
        t["Min"] = c => Reduce(c, "ReduceMin");
        t["Prod"] = c => Reduce(c, "ReduceProd");
        t["Any"] = c => Reduce(c, "ReduceMax");
        t["All"] = c => Reduce(c, "ReduceMin");
        t["ArgMax"] = c => ArgReduce(c, "ArgMax");
        t["ArgMin"] = c => ArgReduce(c, "ArgMin");
        t["TopKV2"] = TopK;
        t["ResizeBilinear"] = c => Resize(c, "linear");
        t["ResizeNearestNeighbor"] = c => Resize(c, "nearest");
        t["Select"] = c => Select(c, v1: true);
        t["SelectV2"] = c => Select(c, v1: false);
        t["Where"] = c =>
        {
            if (c.InputCount == 3)
            {
                Select(c, v1: false);
                return;
            }
            var x = c.In(0);
            var nonZero = c.Op("NonZero", [x], TensorType.Int64, x.Rank is { } r ? [r, -1] : null);
            c.Set(c.Cast(c.Transpose(nonZero, [1, 0]), TensorType.Int32));
        };
    }

    private static void Reduce(TfjsConverter c, string onnxOp)
    {
        var x = c.In(0);
        var keep = c.Node.Bool("keep_dims");
        var axes = c.ConstIn(1, "reduction axes").ToLongs();
        if (axes.Length == 0)
        {
            // TensorFlow reduces over no axes: the input unchanged (ONNX would reduce over all).
            c.Set(x);
            return;
        }
        long[]? shape = null;
        if (x.Shape is { } s)
        {
            var normalized = axes.Select(a => Shapes.Axis(a, s.Length)).ToHashSet();
            shape = keep
                ? s.Select((d, i) => normalized.Contains(i) ? 1 : d).ToArray()
                : s.Where((_, i) => !normalized.Contains(i)).ToArray();
        }
        var isBool = x.Type == TensorType.Bool;
        var input = isBool ? c.Cast(x, TensorType.Int32) : x;
        TfValue result = onnxOp == "ReduceSum"
            ? c.Op(onnxOp, [input, c.Longs(axes)], input.Type, shape, OnnxAttr.Int("keepdims", keep ? 1 : 0))
            : c.Op(onnxOp, [input], input.Type, shape, OnnxAttr.Ints("axes", axes), OnnxAttr.Int("keepdims", keep ? 1 : 0));
        c.Set(isBool ? c.Cast(result, TensorType.Bool) : result);
    }

    private static void ArgReduce(TfjsConverter c, string onnxOp)
    {
        var x = c.In(0);
        var axis = ScalarOf(c.ConstIn(1, "axis"));
        long[]? shape = null;
        if (x.Shape is { } s)
        {
            var a = Shapes.Axis(axis, s.Length);
            shape = s.Where((_, i) => i != a).ToArray();
        }
        var index = c.Op(onnxOp, [x], TensorType.Int64, shape, OnnxAttr.Int("axis", axis), OnnxAttr.Int("keepdims", 0));
        c.Set(c.Cast(index, TensorType.Int32));
    }

    private static void TopK(TfjsConverter c)
    {
        var x = c.In(0);
        var k = c.In(1);
        long[]? shape = null;
        if (x.Shape is { } s && k.Const is { } kc)
        {
            shape = [.. s[..^1], ScalarOf(kc)];
        }
        var kInput = c.Unsqueeze(c.AsInt64(k.Rank == 0 || k.Const is { Shape.Length: 0 } ? k : c.Squeeze(k)), 0);
        var outputs = c.OpMulti("TopK", [x, kInput], [(x.Type, shape), (TensorType.Int64, shape)],
            OnnxAttr.Int("axis", -1), OnnxAttr.Int("largest", 1), OnnxAttr.Int("sorted", 1));
        c.Set(outputs[0]);
        c.Set(c.Cast(outputs[1], TensorType.Int32), 1);
    }

    private static void Resize(TfjsConverter c, string mode)
    {
        var node = c.Node;
        var x = c.In(0);
        var size = c.In(1);
        var alignCorners = node.Bool("align_corners");
        var halfPixel = node.Bool("half_pixel_centers");
        var xn = c.Transpose(x, Shapes.NhwcToNchw);
        TfValue sizes;
        long[]? shape = null;
        if (size.Const is { } sc && xn.Shape is { Length: 4 } s && s[0] >= 0 && s[1] >= 0)
        {
            var hw = sc.ToLongs();
            sizes = c.Longs(s[0], s[1], hw[0], hw[1]);
            shape = [s[0], s[1], hw[0], hw[1]];
        }
        else
        {
            var inputShape = c.Op("Shape", [xn], TensorType.Int64, [4]);
            var batchChannels = c.Op("Slice", [inputShape, c.Longs(0), c.Longs(2)], TensorType.Int64, [2]);
            sizes = c.Op("Concat", [batchChannels, c.AsInt64(size)], TensorType.Int64, [4], OnnxAttr.Int("axis", 0));
            if (size.Const is { } sc2 && xn.Shape is { Length: 4 } s2)
            {
                var hw = sc2.ToLongs();
                shape = [s2[0], s2[1], hw[0], hw[1]];
            }
        }
        string transform;
        var attributes = new List<ModelZoo.Onnx.Proto.AttributeProto> { OnnxAttr.String("mode", mode) };
        if (mode == "linear")
        {
            transform = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
        }
        else
        {
            // TensorFlow.js: floor((x + 0.5) * scale) with half-pixel centres, floor(x * scale) without, round() when aligning corners.
            transform = alignCorners ? "align_corners" : halfPixel ? "tf_half_pixel_for_nn" : "asymmetric";
            attributes.Add(OnnxAttr.String("nearest_mode", alignCorners ? "round_prefer_ceil" : "floor"));
        }
        attributes.Add(OnnxAttr.String("coordinate_transformation_mode", transform));
        var y = c.Op("Resize", [xn, null, null, sizes], x.Type, shape, attributes.ToArray());
        c.Set(c.Transpose(y, Shapes.NchwToNhwc));
    }

    private static void Select(TfjsConverter c, bool v1)
    {
        var condition = c.In(0);
        var a = c.In(1);
        var b = c.Cast(c.In(2), a.Type);
        if (v1 && condition.Rank == 1 && a.Rank is > 1)
        {
            // Select with a vector condition picks whole rows of the first axis.
            condition = c.Unsqueeze(condition, Enumerable.Range(1, a.Rank.Value - 1).Select(i => (long)i).ToArray());
        }
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition.Shape, a.Shape), b.Shape);
        c.Set(c.Op("Where", [c.Cast(condition, TensorType.Bool), a, b], a.Type, shape));
    }
}
