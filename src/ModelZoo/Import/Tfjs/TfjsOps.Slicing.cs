namespace ModelZoo.Import.Tfjs;

/// <summary>Slicing, gathering and padding.</summary>
internal static partial class TfjsOps
{
    private static void RegisterSlicing(Dictionary<string, Action<TfjsConverter>> t)
    {
        t["Slice"] = SliceOp;
        t["StridedSlice"] = StridedSlice;
        t["GatherV2"] = c =>
        {
            if (c.Node.Int("batch_dims") != 0)
            {
                throw NotSupported("batch_dims other than 0 is not supported");
            }
            Gather(c, c.In(0), c.In(1), ScalarOf(c.ConstIn(2, "axis")));
        };
        t["Gather"] = c => Gather(c, c.In(0), c.In(1), 0);
        t["GatherNd"] = c =>
        {
            var parameters = c.In(0);
            var indices = c.In(1);
            long[]? shape = null;
            if (parameters.Shape is { } ps && indices.Shape is { } ix && ix[^1] >= 0)
            {
                shape = [.. ix[..^1], .. ps[(int)ix[^1]..]];
            }
            c.Set(c.Op("GatherND", [parameters, c.AsInt64(indices)], parameters.Type, shape));
        };
        t["Pad"] = c => Pad(c, "constant", c.InputCount > 2 ? c.In(2) : null);
        t["PadV2"] = c => Pad(c, "constant", c.In(2));
        t["MirrorPad"] = c =>
        {
            var mode = c.Node.String("mode", "REFLECT");
            if (mode != "REFLECT")
            {
                throw NotSupported($"MirrorPad mode {mode} has no ONNX equivalent");
            }
            Pad(c, "reflect", null);
        };
    }

    private static void SliceOp(TfjsConverter c)
    {
        var x = c.In(0);
        var begin = c.ConstIn(1, "begin").ToLongs();
        var size = c.ConstIn(2, "size").ToLongs();
        var ends = begin.Select((b, i) => size[i] < 0 ? long.MaxValue : b + size[i]).ToArray();
        long[]? shape = null;
        if (x.Shape is { } s)
        {
            shape = s.Select((d, i) => i >= size.Length ? d : size[i] >= 0 ? size[i] : d < 0 ? -1 : d - begin[i]).ToArray();
        }
        var axes = Enumerable.Range(0, begin.Length).Select(i => (long)i).ToArray();
        c.Set(c.Op("Slice", [x, c.Longs(begin), c.Longs(ends), c.Longs(axes)], x.Type, shape));
    }

    private sealed record DenseDim(int Axis, long Begin, long End, long Stride, bool BeginMasked, bool EndMasked, bool Shrink);

    private static void StridedSlice(TfjsConverter c)
    {
        var x = c.In(0);
        var (dense, final) = DenseSpec(c, x);

        // Output shape and constant folding.
        var sliced = x.Shape is { } xs ? (long[])xs.Clone() : null;
        var ranges = new List<long[]?>();
        foreach (var d in dense)
        {
            if (d.Stride == 0)
            {
                throw NotSupported("a stride of 0");
            }
            var dim = sliced is not null ? sliced[d.Axis] : -1;
            var indices = dim >= 0 ? SliceIndices(d, dim) : null;
            ranges.Add(indices);
            if (sliced is not null)
            {
                sliced[d.Axis] = indices?.LongLength ?? -1;
            }
        }
        long[]? finalShape = null;
        if (sliced is not null && !final.Contains(int.MaxValue))
        {
            finalShape = final.Select(a => a < 0 ? 1 : sliced[a]).ToArray();
        }
        if (x.Const is { } xc && sliced is not null && finalShape is not null && ranges.All(rg => rg is not null)
            && Shapes.ElementCount(sliced) <= MaxFoldElements)
        {
            c.Set(c.Constant(GatherConst(xc, dense.Select(d => d.Axis).ToArray(), ranges!, sliced).Reshape(finalShape)));
            return;
        }

        var value = SliceOps(c, x, dense, sliced);
        var newAxes = final.Select((a, i) => (a, i)).Where(p => p.a == -1).Select(p => (long)p.i).ToArray();
        if (newAxes.Length > 0)
        {
            value = c.Unsqueeze(value, newAxes);
        }
        c.Set(finalShape is not null && value.Shape is null ? new TfValue(value.Name, value.Type, finalShape) : value);
    }

    /// <summary>
    /// TensorFlow's dense spec of a strided slice: one entry per input axis, and the layout of the output axes
    /// (an input axis, -1 for a new axis, <see cref="int.MaxValue"/> for trailing axes of unknown count).
    /// </summary>
    private static (List<DenseDim> Dense, List<int> Final) DenseSpec(TfjsConverter c, TfValue x)
    {
        var node = c.Node;
        var begin = c.ConstIn(1, "begin").ToLongs();
        var end = c.ConstIn(2, "end").ToLongs();
        var strides = c.InputCount > 3 ? c.ConstIn(3, "strides").ToLongs() : Enumerable.Repeat(1L, begin.Length).ToArray();
        var beginMask = node.Int("begin_mask");
        var endMask = node.Int("end_mask");
        var ellipsisMask = node.Int("ellipsis_mask");
        var newAxisMask = node.Int("new_axis_mask");
        var shrinkMask = node.Int("shrink_axis_mask");
        var n = begin.Length;
        bool Bit(long mask, int i) => (mask & (1L << i)) != 0;

        var dense = new List<DenseDim>();
        var final = new List<int>();
        var axis = 0;
        var sawEllipsis = false;
        void KeepWhole(int upTo)
        {
            for (; axis < upTo; axis++)
            {
                dense.Add(new DenseDim(axis, 0, 0, 1, true, true, false));
                final.Add(axis);
            }
        }
        for (var i = 0; i < n; i++)
        {
            if (Bit(ellipsisMask, i))
            {
                if (sawEllipsis)
                {
                    throw NotSupported("more than one ellipsis");
                }
                sawEllipsis = true;
                var rank = x.Rank ?? throw NotSupported("an ellipsis needs the input rank");
                var newAfter = Enumerable.Range(i + 1, n - i - 1).Count(j => Bit(newAxisMask, j));
                KeepWhole(Math.Min(rank - (n - i) + 1 + newAfter, rank));
            }
            else if (Bit(newAxisMask, i))
            {
                final.Add(-1);
            }
            else
            {
                var shrink = Bit(shrinkMask, i);
                dense.Add(new DenseDim(axis, begin[i], end[i], strides[i], Bit(beginMask, i), Bit(endMask, i), shrink));
                if (!shrink)
                {
                    final.Add(axis);
                }
                axis++;
            }
        }
        if (x.Rank is { } r)
        {
            KeepWhole(r);
        }
        else if (!sawEllipsis)
        {
            // Axes past the spec are kept whole; their count is unknown but they follow the spec's axes.
            final.Add(int.MaxValue);
        }
        return (dense, final);
    }

    /// <summary>One ONNX Slice over the axes the spec narrows, then a Squeeze of the shrunk axes.</summary>
    private static TfValue SliceOps(TfjsConverter c, TfValue x, List<DenseDim> dense, long[]? sliced)
    {
        var starts = new List<long>();
        var ends = new List<long>();
        var axes = new List<long>();
        var steps = new List<long>();
        foreach (var d in dense)
        {
            if (d.Shrink)
            {
                starts.Add(d.Begin);
                ends.Add(d.Begin == -1 ? long.MaxValue : d.Begin + 1);
                steps.Add(1);
            }
            else
            {
                if (d.BeginMasked && d.EndMasked && d.Stride == 1)
                {
                    continue;
                }
                starts.Add(d.BeginMasked ? (d.Stride > 0 ? 0 : long.MaxValue) : d.Begin);
                ends.Add(d.EndMasked ? (d.Stride > 0 ? long.MaxValue : long.MinValue) : d.End);
                steps.Add(d.Stride);
            }
            axes.Add(d.Axis);
        }
        var value = x;
        if (axes.Count > 0)
        {
            value = c.Op("Slice", [x, c.Longs([.. starts]), c.Longs([.. ends]), c.Longs([.. axes]), c.Longs([.. steps])], x.Type, sliced);
        }
        var shrinkAxes = dense.Where(d => d.Shrink).Select(d => (long)d.Axis).ToArray();
        return shrinkAxes.Length > 0 ? c.Squeeze(value, shrinkAxes) : value;
    }

    /// <summary>The input indices TensorFlow's strided slice picks along one axis of static size <paramref name="dim"/>.</summary>
    private static long[] SliceIndices(DenseDim d, long dim)
    {
        long Wrap(long v) => v < 0 ? v + dim : v;
        if (d.Shrink)
        {
            var index = Wrap(d.Begin);
            if (index < 0 || index >= dim)
            {
                throw NotSupported($"shrink index {d.Begin} is out of range for a dimension of {dim}");
            }
            return [index];
        }
        long b, e;
        if (d.Stride > 0)
        {
            b = d.BeginMasked ? 0 : Math.Clamp(Wrap(d.Begin), 0, dim);
            e = d.EndMasked ? dim : Math.Clamp(Wrap(d.End), 0, dim);
        }
        else
        {
            b = d.BeginMasked ? dim - 1 : Math.Clamp(Wrap(d.Begin), -1, dim - 1);
            e = d.EndMasked ? -1 : Math.Clamp(Wrap(d.End), -1, dim - 1);
        }
        var list = new List<long>();
        for (var i = b; d.Stride > 0 ? i < e : i > e; i += d.Stride)
        {
            list.Add(i);
        }
        return list.ToArray();
    }

    /// <summary>Picks <paramref name="ranges"/>[k] along axis <paramref name="axes"/>[k] of a constant.</summary>
    private static ConstTensor GatherConst(ConstTensor x, int[] axes, IReadOnlyList<long[]> ranges, long[] outShape)
    {
        var rank = x.Shape.Length;
        var pick = new long[rank][];
        for (var a = 0; a < rank; a++)
        {
            var k = Array.IndexOf(axes, a);
            pick[a] = k >= 0 ? ranges[k] : Enumerable.Range(0, (int)x.Shape[a]).Select(v => (long)v).ToArray();
        }
        var strides = Shapes.Strides(x.Shape);
        var count = Shapes.ElementCount(outShape);
        var data = Array.CreateInstance(x.Data.GetType().GetElementType()!, count);
        var index = new int[rank];
        for (long o = 0; o < count; o++)
        {
            long src = 0;
            for (var a = 0; a < rank; a++)
            {
                src += pick[a][index[a]] * strides[a];
            }
            Array.Copy(x.Data, src, data, o, 1);
            for (var a = rank - 1; a >= 0; a--)
            {
                if (++index[a] < pick[a].Length)
                {
                    break;
                }
                index[a] = 0;
            }
        }
        return new ConstTensor(x.Type, outShape, data);
    }

    private static void Gather(TfjsConverter c, TfValue parameters, TfValue indices, long axis)
    {
        if (axis < 0)
        {
            axis += parameters.Rank ?? throw NotSupported("a negative gather axis needs the input rank");
        }
        long[]? shape = null;
        if (parameters.Shape is { } ps && indices.Shape is { } ix)
        {
            shape = [.. ps[..(int)axis], .. ix, .. ps[((int)axis + 1)..]];
        }
        if (parameters.Const is { } pc && indices.Const is { } ic && shape is not null && Shapes.IsStatic(shape)
            && Shapes.ElementCount(shape) <= MaxFoldElements)
        {
            var picks = ic.ToLongs().Select(i => i < 0 ? i + pc.Shape[axis] : i).ToArray();
            var gathered = GatherConst(pc, [(int)axis], [picks],
                [.. pc.Shape[..(int)axis], picks.Length, .. pc.Shape[((int)axis + 1)..]]);
            c.Set(c.Constant(gathered.Reshape(shape)));
            return;
        }
        c.Set(c.Op("Gather", [parameters, indices], parameters.Type, shape, OnnxAttr.Int("axis", axis)));
    }

    private static void Pad(TfjsConverter c, string mode, TfValue? constant)
    {
        var x = c.In(0);
        var paddings = c.ConstIn(1, "paddings");
        var p = paddings.ToLongs();
        var rank = p.Length / 2;
        var pads = new long[2 * rank];
        for (var i = 0; i < rank; i++)
        {
            pads[i] = p[2 * i];
            pads[rank + i] = p[2 * i + 1];
        }
        long[]? shape = x.Shape?.Select((d, i) => d < 0 ? -1 : d + pads[i] + pads[rank + i]).ToArray();
        var inputs = new List<TfValue?> { x, c.Longs(pads) };
        if (constant is not null)
        {
            inputs.Add(c.Cast(constant, x.Type));
        }
        c.Set(c.Op("Pad", inputs, x.Type, shape, OnnxAttr.String("mode", mode)));
    }
}
