namespace ModelZoo.Import.Tfjs;

/// <summary>Shape-changing and tensor-creating ops. Shape computations on constants are folded at import time, so
/// that later ops (Reshape, Slice) see constant arguments where TensorFlow.js would.</summary>
internal static partial class TfjsOps
{
    private static void RegisterShape(Dictionary<string, Action<TfjsConverter>> t)
    {
        foreach (var op in new[] { "Identity", "StopGradient", "Snapshot", "PreventGradient", "EnsureShape", "CheckNumerics" })
        {
            t[op] = c => c.Set(c.In(0));
        }
        t["IdentityN"] = c =>
        {
            for (var i = 0; i < c.InputCount; i++)
            {
                c.Set(c.In(i), i);
            }
        };
        t["Reshape"] = ReshapeOp;
        t["Squeeze"] = c => c.Set(c.Squeeze(c.In(0), c.Node.Has("squeeze_dims") ? c.Node.Ints("squeeze_dims") : c.Node.Ints("axis")));
        t["ExpandDims"] = c => c.Set(c.Unsqueeze(c.In(0), ScalarOf(c.ConstIn(1, "axis"))));
        t["Transpose"] = c => c.Set(c.Transpose(c.In(0), c.ConstIn(1, "perm").ToLongs().Select(p => (int)p).ToArray()));
        t["ConcatV2"] = c => Concat(c, Enumerable.Range(0, c.InputCount - 1).Select(c.In).ToList(), ScalarOf(c.ConstIn(c.InputCount - 1, "axis")));
        t["Concat"] = c => Concat(c, Enumerable.Range(1, c.InputCount - 1).Select(c.In).ToList(), ScalarOf(c.ConstIn(0, "axis")));
        t["Pack"] = Pack;
        t["Unpack"] = Unpack;
        t["Split"] = c => Split(c, c.In(1), ScalarOf(c.ConstIn(0, "axis")), null, (int)c.Node.Int("num_split"));
        t["SplitV"] = c => Split(c, c.In(0), ScalarOf(c.ConstIn(2, "axis")), c.ConstIn(1, "size_splits").ToLongs(), (int)c.Node.Int("num_split"));
        t["Tile"] = c =>
        {
            var x = c.In(0);
            var multiples = c.In(1);
            long[]? shape = null;
            if (x.Shape is { } s && multiples.Const is { } m)
            {
                var mv = m.ToLongs();
                shape = s.Select((d, i) => d < 0 ? -1 : d * mv[i]).ToArray();
            }
            c.Set(c.Op("Tile", [x, c.AsInt64(multiples)], x.Type, shape));
        };
        t["Shape"] = ShapeOp;
        t["Size"] = c =>
        {
            var x = c.In(0);
            c.Set(Shapes.IsStatic(x.Shape)
                ? c.Constant(ConstTensor.Ints([], [(int)Shapes.ElementCount(x.Shape!)]))
                : c.Cast(c.Op("Size", [x], TensorType.Int64, []), TensorType.Int32));
        };
        t["Rank"] = c => c.Set(c.Constant(ConstTensor.Ints([], [c.In(0).Rank ?? throw NotSupported("the input rank is unknown")])));
        t["Fill"] = Fill;
        t["ZerosLike"] = c => FillLike(c, 0);
        t["OnesLike"] = c => FillLike(c, 1);
        t["Cast"] = c =>
        {
            var to = RequireType(c.Node.DType("DstT"), "the cast target");
            c.Set(c.Cast(c.In(0), to));
        };
        t["BroadcastTo"] = c =>
        {
            var x = c.In(0);
            var shape = c.In(1);
            c.Set(c.Op("Expand", [x, c.AsInt64(shape)], x.Type,
                shape.Const is { } k ? Shapes.Broadcast(x.Shape, k.ToLongs()) : Shapes.Broadcast(x.Shape, UnknownDims(shape))));
        };
        t["Range"] = RangeOp;
        t["SparseToDense"] = SparseToDense;
        t["DepthToSpace"] = c => SpaceDepth(c, "DepthToSpace");
        t["SpaceToDepth"] = c => SpaceDepth(c, "SpaceToDepth");
    }

    /// <summary>For a run-time shape vector of known length n: n unknown dimensions; otherwise unknown rank.</summary>
    private static long[]? UnknownDims(TfValue shapeVector) =>
        shapeVector.Shape is [var n] && n >= 0 ? Enumerable.Repeat(-1L, (int)n).ToArray() : null;

    private static void ReshapeOp(TfjsConverter c)
    {
        var x = c.In(0);
        var target = c.In(1);
        if (target.Const is { } k)
        {
            var shape = k.ToLongs();
            var resolved = (long[])shape.Clone();
            var unknown = Array.IndexOf(resolved, -1L);
            if (unknown >= 0 && Shapes.IsStatic(x.Shape))
            {
                var known = resolved.Where(d => d >= 0).Aggregate(1L, (a, b) => a * b);
                resolved[unknown] = known == 0 ? 0 : Shapes.ElementCount(x.Shape!) / known;
            }
            if (x.Const is { } xc && resolved.All(d => d >= 0))
            {
                c.Set(c.Constant(xc.Reshape(resolved)));
                return;
            }
            var attributes = shape.Contains(0) && !shape.Contains(-1) ? new[] { OnnxAttr.Int("allowzero", 1) } : [];
            c.Set(c.Op("Reshape", [x, c.Longs(shape)], x.Type, resolved, attributes));
            return;
        }
        var rank = target.Shape is { Length: 1 } ts && ts[0] >= 0 ? ts[0] : -1;
        c.Set(c.Op("Reshape", [x, c.AsInt64(target)], x.Type, rank >= 0 ? Enumerable.Repeat(-1L, (int)rank).ToArray() : null));
    }

    private static void ShapeOp(TfjsConverter c)
    {
        var x = c.In(0);
        if (Shapes.IsStatic(x.Shape))
        {
            c.Set(c.Constant(ConstTensor.Ints([x.Shape!.Length], x.Shape.Select(d => (int)d).ToArray())));
            return;
        }
        long[]? shape = x.Rank is { } r ? [r] : null;
        c.Set(c.Cast(c.Op("Shape", [x], TensorType.Int64, shape), TensorType.Int32));
    }

    private static void Concat(TfjsConverter c, IReadOnlyList<TfValue> values, long axis)
    {
        var type = values[0].Type;
        values = values.Select(v => c.Cast(v, type)).ToList();
        var rank = values.Select(v => v.Rank).FirstOrDefault(r => r is not null);
        if (values.Count == 1)
        {
            c.Set(values[0]);
            return;
        }
        if (rank is null)
        {
            if (axis < 0)
            {
                throw NotSupported("a negative concat axis needs the input rank");
            }
            c.Set(c.Op("Concat", values.Cast<TfValue?>().ToList(), type, null, OnnxAttr.Int("axis", axis)));
            return;
        }
        var a = Shapes.Axis(axis, rank.Value);
        long[]? shape = null;
        if (values.All(v => v.Shape is not null))
        {
            shape = (long[])values[0].Shape!.Clone();
            shape[a] = values.Any(v => v.Shape![a] < 0) ? -1 : values.Sum(v => v.Shape![a]);
            for (var d = 0; d < shape.Length; d++)
            {
                if (d != a && shape[d] < 0)
                {
                    shape[d] = values.Select(v => v.Shape![d]).FirstOrDefault(x => x >= 0, -1);
                }
            }
        }
        if (values.All(v => v.Const is not null) && shape is not null && Shapes.ElementCount(shape) <= MaxFoldElements)
        {
            c.Set(c.Constant(ConcatConst(values.Select(v => v.Const!).ToList(), a, shape)));
            return;
        }
        c.Set(c.Op("Concat", values.Cast<TfValue?>().ToList(), type, shape, OnnxAttr.Int("axis", a)));
    }

    private static ConstTensor ConcatConst(IReadOnlyList<ConstTensor> parts, int axis, long[] shape)
    {
        var outer = shape.Take(axis).Aggregate(1L, (x, y) => x * y);
        var inner = shape.Skip(axis + 1).Aggregate(1L, (x, y) => x * y);
        var data = Array.CreateInstance(parts[0].Data.GetType().GetElementType()!, Shapes.ElementCount(shape));
        long position = 0;
        for (long o = 0; o < outer; o++)
        {
            foreach (var part in parts)
            {
                var block = part.Shape[axis] * inner;
                Array.Copy(part.Data, o * block, data, position, block);
                position += block;
            }
        }
        return new ConstTensor(parts[0].Type, shape, data);
    }

    private static void Pack(TfjsConverter c)
    {
        var axis = c.Node.Int("axis");
        var values = Enumerable.Range(0, c.InputCount).Select(c.In).ToList();
        var rank = values.Select(v => v.Rank).FirstOrDefault(r => r is not null);
        if (axis < 0)
        {
            axis += (rank ?? throw NotSupported("a negative pack axis needs the input rank")) + 1;
        }
        Concat(c, values.Select(v => c.Unsqueeze(v, axis)).ToList(), axis);
    }

    private static void Unpack(TfjsConverter c)
    {
        var x = c.In(0);
        var num = (int)c.Node.Int("num");
        var axis = c.Node.Int("axis");
        if (axis < 0)
        {
            axis += x.Rank ?? throw NotSupported("a negative unpack axis needs the input rank");
        }
        if (num == 1)
        {
            c.Set(c.Squeeze(x, axis));
            return;
        }
        var parts = SplitValues(c, x, axis, Enumerable.Repeat(1L, num).ToArray(), num);
        for (var k = 0; k < num; k++)
        {
            c.Set(c.Squeeze(parts[k], axis), k);
        }
    }

    private static void Split(TfjsConverter c, TfValue x, long axis, long[]? sizes, int count)
    {
        if (axis < 0)
        {
            axis += x.Rank ?? throw NotSupported("a negative split axis needs the input rank");
        }
        if (sizes is not null && sizes.Contains(-1))
        {
            var dim = x.Shape is { } s ? s[axis] : -1;
            if (dim < 0)
            {
                throw NotSupported("a split size of -1 needs the static size of the split axis");
            }
            var i = Array.IndexOf(sizes, -1L);
            sizes = (long[])sizes.Clone();
            sizes[i] = dim - sizes.Where(v => v >= 0).Sum();
        }
        var parts = SplitValues(c, x, axis, sizes, count);
        for (var k = 0; k < parts.Length; k++)
        {
            c.Set(parts[k], k);
        }
    }

    private static TfValue[] SplitValues(TfjsConverter c, TfValue x, long axis, long[]? sizes, int count)
    {
        if (count == 1)
        {
            return [x];
        }
        var outputs = new (TensorType, long[]?)[count];
        for (var k = 0; k < count; k++)
        {
            long[]? shape = null;
            if (x.Shape is { } s)
            {
                shape = (long[])s.Clone();
                shape[axis] = sizes is not null ? sizes[k] : s[axis] >= 0 ? s[axis] / count : -1;
            }
            outputs[k] = (x.Type, shape);
        }
        var inputs = new List<TfValue?> { x };
        if (sizes is not null)
        {
            inputs.Add(c.Longs(sizes));
        }
        return c.OpMulti("Split", inputs, outputs, OnnxAttr.Int("axis", axis));
    }

    private static void Fill(TfjsConverter c)
    {
        var dims = c.In(0);
        var value = c.In(1);
        if (dims.Const is { } d && value.Const is { } v)
        {
            var shape = d.ToLongs();
            var count = Shapes.ElementCount(shape);
            if (count <= MaxFoldElements)
            {
                var filled = Enumerable.Repeat(v.ToDoubles()[0], (int)count).ToArray();
                c.Set(c.Constant(ConstTensor.FromDoubles(v.Type, shape, filled)));
                return;
            }
        }
        var outShape = dims.Const is { } dc ? dc.ToLongs() : UnknownDims(dims);
        c.Set(c.Op("Expand", [value, c.AsInt64(dims)], value.Type, outShape));
    }

    private static void FillLike(TfjsConverter c, double fill)
    {
        var x = c.In(0);
        if (Shapes.IsStatic(x.Shape) && Shapes.ElementCount(x.Shape!) <= MaxFoldElements)
        {
            var count = (int)Shapes.ElementCount(x.Shape!);
            c.Set(c.Constant(ConstTensor.FromDoubles(x.Type, x.Shape!, Enumerable.Repeat(fill, count).ToArray())));
            return;
        }
        var shape = c.Op("Shape", [x], TensorType.Int64, x.Rank is { } r ? [r] : null);
        c.Set(c.Op("ConstantOfShape", [shape], x.Type, x.Shape,
            OnnxAttr.Tensor("value", ConstTensor.FromDoubles(x.Type, [1], [fill]))));
    }

    private static void RangeOp(TfjsConverter c)
    {
        var start = c.In(0);
        var limit = c.Cast(c.In(1), start.Type);
        var delta = c.Cast(c.In(2), start.Type);
        if (start.Const is { } s && limit.Const is { } l && delta.Const is { } d)
        {
            double a = s.ToDoubles()[0], b = l.ToDoubles()[0], step = d.ToDoubles()[0];
            var count = (int)Math.Max(Math.Ceiling((b - a) / step), 0);
            if (count <= MaxFoldElements)
            {
                c.Set(c.Constant(ConstTensor.FromDoubles(start.Type, [count], Enumerable.Range(0, count).Select(i => a + i * step).ToArray())));
                return;
            }
        }
        c.Set(c.Op("Range", [start, limit, delta], start.Type, [-1]));
    }

    private static void SparseToDense(TfjsConverter c)
    {
        var indices = c.ConstIn(0, "sparse_indices").ToLongs();
        var indexShape = c.In(0).Shape!;
        var shape = c.ConstIn(1, "output_shape").ToLongs();
        var values = c.ConstIn(2, "sparse_values");
        var fill = c.ConstIn(3, "default_value");
        var count = Shapes.ElementCount(shape);
        if (count > MaxFoldElements * 16)
        {
            throw NotSupported("the dense output is too large to build at import time");
        }
        var data = Enumerable.Repeat(fill.ToDoubles()[0], (int)count).ToArray();
        var strides = Shapes.Strides(shape);
        var rank = indexShape.Length == 2 ? (int)indexShape[1] : 1;
        var n = indexShape.Length == 0 ? 1 : (int)indexShape[0];
        var vals = values.ToDoubles();
        for (var i = 0; i < n; i++)
        {
            long flat = 0;
            for (var d = 0; d < rank; d++)
            {
                flat += indices[i * rank + d] * strides[d];
            }
            data[flat] = vals.Length == 1 ? vals[0] : vals[i];
        }
        c.Set(c.Constant(ConstTensor.FromDoubles(values.Type, shape, data)));
    }

    private static void SpaceDepth(TfjsConverter c, string op)
    {
        var x = c.In(0);
        var block = c.Node.Int("block_size");
        var nhwc = IsNhwc(c.Node);
        var xn = nhwc ? c.Transpose(x, Shapes.NhwcToNchw) : x;
        long[]? shape = null;
        if (xn.Shape is { Length: 4 } s)
        {
            shape = op == "DepthToSpace"
                ? [s[0], s[1] < 0 ? -1 : s[1] / (block * block), s[2] < 0 ? -1 : s[2] * block, s[3] < 0 ? -1 : s[3] * block]
                : [s[0], s[1] < 0 ? -1 : s[1] * block * block, s[2] < 0 ? -1 : s[2] / block, s[3] < 0 ? -1 : s[3] / block];
        }
        // TensorFlow orders the moved block as (row, column, channel): ONNX's DCR mode.
        var attributes = op == "DepthToSpace"
            ? new[] { OnnxAttr.Int("blocksize", block), OnnxAttr.String("mode", "DCR") }
            : new[] { OnnxAttr.Int("blocksize", block) };
        var y = c.Op(op, [xn], x.Type, shape, attributes);
        c.Set(nhwc ? c.Transpose(y, Shapes.NchwToNhwc) : y);
    }
}
