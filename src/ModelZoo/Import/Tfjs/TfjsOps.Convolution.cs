using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tfjs;

/// <summary>Convolutions, pooling and matrix products. TensorFlow's NHWC tensors are transposed to NCHW around each
/// ONNX Conv/Pool node and back; ONNX Runtime's optimiser removes the transposes that cancel out.</summary>
internal static partial class TfjsOps
{
    private static void RegisterConvolution(Dictionary<string, Action<TfjsConverter>> t)
    {
        t["Conv2D"] = c => Convolution(c, depthwise: false);
        t["_FusedConv2D"] = c => Convolution(c, depthwise: false);
        t["DepthwiseConv2dNative"] = c => Convolution(c, depthwise: true);
        t["FusedDepthwiseConv2dNative"] = c => Convolution(c, depthwise: true);
        t["Conv2DBackpropInput"] = ConvTranspose;
        t["MaxPool"] = c => Pool(c, "MaxPool");
        t["AvgPool"] = c => Pool(c, "AveragePool");
        t["MatMul"] = c => MatMul(c, "transpose_a", "transpose_b");
        t["_FusedMatMul"] = c => MatMul(c, "transpose_a", "transpose_b");
        t["BatchMatMul"] = c => MatMul(c, "adj_x", "adj_y");
        t["BatchMatMulV2"] = c => MatMul(c, "adj_x", "adj_y");
        t["FusedBatchNorm"] = StandaloneBatchNorm;
        t["FusedBatchNormV2"] = StandaloneBatchNorm;
        t["FusedBatchNormV3"] = StandaloneBatchNorm;
    }

    /// <summary>The (height, width) pair of a 4-element NHWC or NCHW attribute such as strides; 1 when absent.</summary>
    private static long[] Spatial(long[] values, bool nhwc, string what)
    {
        if (values.Length == 0)
        {
            return [1, 1];
        }
        if (values.Length != 4)
        {
            throw NotSupported($"{what} must have 4 values, found {values.Length}");
        }
        return nhwc ? [values[1], values[2]] : [values[2], values[3]];
    }

    private static bool IsNhwc(TfNode node)
    {
        var format = node.String("data_format", "NHWC");
        return format switch
        {
            "NHWC" => true,
            "NCHW" => false,
            _ => throw NotSupported($"data_format {format} is not supported"),
        };
    }

    /// <summary>ONNX padding attributes for TensorFlow's padding mode, and the output spatial size when known.</summary>
    private static (AttributeProto Attribute, long[] OutSpatial) Padding(TfNode node, long[]? nchwShape, long[] kernel, long[] strides,
        long[] dilations, bool nhwc)
    {
        var mode = node.String("padding", "VALID");
        var input = nchwShape is { Length: 4 } ? new[] { nchwShape[2], nchwShape[3] } : new long[] { -1, -1 };
        var effective = new long[2];
        for (var i = 0; i < 2; i++)
        {
            effective[i] = (kernel[i] - 1) * dilations[i] + 1;
        }
        var outSize = new long[2];
        switch (mode)
        {
            case "VALID":
                for (var i = 0; i < 2; i++)
                {
                    outSize[i] = input[i] < 0 ? -1 : (input[i] - effective[i]) / strides[i] + 1;
                }
                return (OnnxAttr.Ints("pads", [0, 0, 0, 0]), outSize);
            case "SAME":
                if (input.Any(d => d < 0) && strides.All(st => st == 1))
                {
                    // With stride 1 the padding does not depend on the input size: (k - 1)·d in all, the odd pixel at
                    // the end. Explicit pads also work with dilation, which ONNX Runtime refuses for auto_pad.
                    var low = new long[2];
                    var high = new long[2];
                    for (var i = 0; i < 2; i++)
                    {
                        low[i] = (effective[i] - 1) / 2;
                        high[i] = effective[i] - 1 - low[i];
                    }
                    return (OnnxAttr.Ints("pads", [low[0], low[1], high[0], high[1]]), input);
                }
                if (input.Any(d => d < 0))
                {
                    // TensorFlow puts the odd padding pixel at the end, which is ONNX's SAME_UPPER.
                    return (OnnxAttr.String("auto_pad", "SAME_UPPER"), [-1, -1]);
                }
                var before = new long[2];
                var after = new long[2];
                for (var i = 0; i < 2; i++)
                {
                    outSize[i] = (input[i] + strides[i] - 1) / strides[i];
                    var total = Math.Max((outSize[i] - 1) * strides[i] + effective[i] - input[i], 0);
                    before[i] = total / 2;
                    after[i] = total - before[i];
                }
                return (OnnxAttr.Ints("pads", [before[0], before[1], after[0], after[1]]), outSize);
            case "EXPLICIT":
                var p = node.Ints("explicit_paddings");
                if (p.Length != 8)
                {
                    throw NotSupported($"explicit_paddings must have 8 values, found {p.Length}");
                }
                long[] pads = nhwc ? [p[2], p[4], p[3], p[5]] : [p[4], p[6], p[5], p[7]];
                for (var i = 0; i < 2; i++)
                {
                    outSize[i] = input[i] < 0 ? -1 : (input[i] + pads[i] + pads[i + 2] - effective[i]) / strides[i] + 1;
                }
                return (OnnxAttr.Ints("pads", pads), outSize);
            default:
                throw NotSupported($"padding '{mode}' is not supported");
        }
    }

    private static TfValue Reshape(TfjsConverter c, TfValue x, long[] shape)
    {
        if (x.Const is { } k)
        {
            return c.Constant(k.Reshape(shape));
        }
        return c.Op("Reshape", [x, c.Longs(shape)], x.Type, shape.Any(d => d < 0) ? null : shape);
    }

    private static void Convolution(TfjsConverter c, bool depthwise)
    {
        var node = c.Node;
        var x = c.In(0);
        var filter = c.In(1);
        var nhwc = IsNhwc(node);
        var strides = Spatial(node.Ints("strides"), nhwc, "strides");
        var dilations = Spatial(node.Ints("dilations"), nhwc, "dilations");
        if (filter.Shape is not { Length: 4 } fs || !Shapes.IsStatic(fs))
        {
            throw NotSupported("the filter must have a static 4-D shape");
        }
        long kh = fs[0], kw = fs[1], cin = fs[2], cout = fs[3];
        TfValue weight;
        long group;
        long outChannels;
        if (depthwise)
        {
            // [kh, kw, cin, m] -> [cin*m, 1, kh, kw]; output channel c*m+k matches ONNX's group order.
            outChannels = cin * cout;
            weight = c.Transpose(Reshape(c, filter, [kh, kw, 1, outChannels]), [3, 2, 0, 1]);
            group = cin;
        }
        else
        {
            outChannels = cout;
            weight = c.Transpose(filter, [3, 2, 0, 1]);
            var inChannels = x.Shape is { Length: 4 } xs ? (nhwc ? xs[3] : xs[1]) : -1;
            group = inChannels > 0 && inChannels != cin && inChannels % cin == 0 ? inChannels / cin : 1;
        }
        var xn = nhwc ? c.Transpose(x, Shapes.NhwcToNchw) : x;
        var (padding, outSpatial) = Padding(node, xn.Shape, [kh, kw], strides, dilations, nhwc);

        var fused = node.Strings("fused_ops");
        var args = Enumerable.Range(2, Math.Max(0, c.InputCount - 2)).Select(c.In).ToList();
        var argIndex = 0;
        TfValue? bias = null;
        var rest = fused.AsEnumerable();
        if (fused.Length > 0 && fused[0] == "BiasAdd")
        {
            bias = args.ElementAtOrDefault(argIndex++) ?? throw NotSupported("BiasAdd needs a bias argument");
            if (bias.Rank != 1)
            {
                bias = Reshape(c, bias, [outChannels]);
            }
            rest = fused.Skip(1);
        }
        var batch = xn.Shape is { Length: 4 } s ? s[0] : -1;
        long[] yShape = [batch, outChannels, outSpatial[0], outSpatial[1]];
        var inputs = new List<TfValue?> { xn, weight };
        if (bias is not null)
        {
            inputs.Add(bias);
        }
        var y = c.Op("Conv", inputs, TensorType.Float, yShape,
            OnnxAttr.Ints("kernel_shape", [kh, kw]), OnnxAttr.Ints("strides", strides), OnnxAttr.Ints("dilations", dilations),
            OnnxAttr.Int("group", group), padding);
        var result = nhwc ? c.Transpose(y, Shapes.NchwToNhwc) : y;
        c.Set(ApplyFusedOps(c, result, rest.ToList(), args, ref argIndex, channelAxis: nhwc ? -1 : 1));
    }

    /// <summary>Applies the fused ops after the main product: BiasAdd, FusedBatchNorm and an activation.</summary>
    private static TfValue ApplyFusedOps(TfjsConverter c, TfValue y, IReadOnlyList<string> ops, IReadOnlyList<TfValue> args, ref int argIndex,
        int channelAxis)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case "BiasAdd":
                {
                    var bias = ChannelVector(c, args.ElementAtOrDefault(argIndex++) ?? throw NotSupported("BiasAdd needs a bias argument"), y, channelAxis);
                    y = c.Op("Add", [y, bias], y.Type, y.Shape);
                    break;
                }
                case "FusedBatchNorm":
                {
                    if (args.Count < argIndex + 4)
                    {
                        throw NotSupported("FusedBatchNorm needs scale, offset, mean and variance");
                    }
                    y = BatchNorm(c, y, args[argIndex], args[argIndex + 1], args[argIndex + 2], args[argIndex + 3],
                        c.Node.Float("epsilon", 1e-3f), channelAxis);
                    argIndex += 4;
                    break;
                }
                case "Prelu":
                {
                    var alpha = args.ElementAtOrDefault(argIndex++) ?? throw NotSupported("Prelu needs an alpha argument");
                    y = Activation(c, y, "Prelu", 0, channelAxis == 1 ? ChannelVector(c, alpha, y, 1) : alpha);
                    break;
                }
                default:
                    y = Activation(c, y, op, c.Node.Float("leakyrelu_alpha", 0.2f));
                    break;
            }
        }
        return y;
    }

    /// <summary>Reshapes a per-channel vector so that it broadcasts over <paramref name="y"/>'s channel axis.</summary>
    private static TfValue ChannelVector(TfjsConverter c, TfValue v, TfValue y, int channelAxis)
    {
        if (channelAxis < 0 || channelAxis == (y.Rank ?? 0) - 1 || v.Rank != 1)
        {
            return v;
        }
        var rank = y.Rank ?? throw NotSupported("a per-channel argument in NCHW needs the input rank");
        var trailing = Enumerable.Range(1, rank - 1 - channelAxis).Select(i => (long)i).ToArray();
        return c.Unsqueeze(v, trailing);
    }

    private static TfValue BatchNorm(TfjsConverter c, TfValue x, TfValue scale, TfValue offset, TfValue mean, TfValue variance, float epsilon,
        int channelAxis)
    {
        TfValue multiplier, shift;
        if (scale.Const is { } s && offset.Const is { } o && mean.Const is { } m && variance.Const is { } v)
        {
            var sv = s.ToDoubles();
            var ov = o.ToDoubles();
            var mv = m.ToDoubles();
            var vv = v.ToDoubles();
            var n = sv.Length;
            var mul = new float[n];
            var add = new float[n];
            for (var i = 0; i < n; i++)
            {
                var f = sv[i] / Math.Sqrt(vv[i] + epsilon);
                mul[i] = (float)f;
                add[i] = (float)(ov[i] - mv[i] * f);
            }
            multiplier = c.Constant(ConstTensor.Floats([n], mul));
            shift = c.Constant(ConstTensor.Floats([n], add));
        }
        else
        {
            var std = c.Op("Sqrt", [c.Op("Add", [variance, c.Scalar(TensorType.Float, epsilon)], TensorType.Float, variance.Shape)], TensorType.Float, variance.Shape);
            multiplier = c.Op("Div", [scale, std], TensorType.Float, scale.Shape);
            shift = c.Op("Sub", [offset, c.Op("Mul", [mean, multiplier], TensorType.Float, mean.Shape)], TensorType.Float, offset.Shape);
        }
        multiplier = ChannelVector(c, multiplier, x, channelAxis);
        shift = ChannelVector(c, shift, x, channelAxis);
        return c.Op("Add", [c.Op("Mul", [x, multiplier], TensorType.Float, x.Shape), shift], TensorType.Float, x.Shape);
    }

    private static void StandaloneBatchNorm(TfjsConverter c)
    {
        if (c.Node.Bool("is_training"))
        {
            throw NotSupported("batch normalisation in training mode is not supported");
        }
        var x = c.In(0);
        var channelAxis = IsNhwc(c.Node) ? -1 : 1;
        c.Set(BatchNorm(c, x, c.In(1), c.In(2), c.In(3), c.In(4), c.Node.Float("epsilon", 1e-3f), channelAxis));
    }

    private static void ConvTranspose(TfjsConverter c)
    {
        var node = c.Node;
        var sizes = c.ConstIn(0, "input_sizes").ToLongs();
        var filter = c.In(1);
        var x = c.In(2);
        var nhwc = IsNhwc(node);
        var strides = Spatial(node.Ints("strides"), nhwc, "strides");
        var dilations = Spatial(node.Ints("dilations"), nhwc, "dilations");
        if (filter.Shape is not { Length: 4 } fs || !Shapes.IsStatic(fs) || sizes.Length != 4)
        {
            throw NotSupported("the filter must have a static 4-D shape and input_sizes 4 values");
        }
        long[] kernel = [fs[0], fs[1]];
        long[] outSpatial = nhwc ? [sizes[1], sizes[2]] : [sizes[2], sizes[3]];
        var xn = nhwc ? c.Transpose(x, Shapes.NhwcToNchw) : x;
        var mode = node.String("padding", "VALID");
        long[] pads = new long[4];
        long[] outputPadding = new long[2];
        for (var i = 0; i < 2; i++)
        {
            var effective = (kernel[i] - 1) * dilations[i] + 1;
            var staticIn = xn.Shape is { Length: 4 } xs ? xs[2 + i] : -1;
            long total;
            long input;
            switch (mode)
            {
                case "SAME":
                    input = staticIn >= 0 ? staticIn : (outSpatial[i] + strides[i] - 1) / strides[i];
                    total = Math.Max((input - 1) * strides[i] + effective - outSpatial[i], 0);
                    break;
                case "VALID":
                    input = staticIn >= 0 ? staticIn : (outSpatial[i] - effective + strides[i]) / strides[i];
                    total = 0;
                    break;
                default:
                    throw NotSupported($"padding '{mode}' is not supported for Conv2DBackpropInput");
            }
            pads[i] = total / 2;
            pads[i + 2] = total - total / 2;
            outputPadding[i] = outSpatial[i] - ((input - 1) * strides[i] + effective - total);
            if (outputPadding[i] < 0 || outputPadding[i] >= Math.Max(strides[i], dilations[i]))
            {
                throw NotSupported("input_sizes do not match the input, filter and strides");
            }
        }
        var weight = c.Transpose(filter, [3, 2, 0, 1]);
        var batch = xn.Shape is { Length: 4 } s ? s[0] : -1;
        var channels = fs[2];
        var y = c.Op("ConvTranspose", [xn, weight], TensorType.Float, [batch, channels, outSpatial[0], outSpatial[1]],
            OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides), OnnxAttr.Ints("dilations", dilations),
            OnnxAttr.Ints("pads", pads), OnnxAttr.Ints("output_padding", outputPadding));
        c.Set(nhwc ? c.Transpose(y, Shapes.NchwToNhwc) : y);
    }

    private static void Pool(TfjsConverter c, string onnxOp)
    {
        var node = c.Node;
        var x = c.In(0);
        var nhwc = IsNhwc(node);
        var kernel = Spatial(node.Ints("ksize"), nhwc, "ksize");
        var strides = Spatial(node.Ints("strides"), nhwc, "strides");
        var xn = nhwc ? c.Transpose(x, Shapes.NhwcToNchw) : x;
        var (padding, outSpatial) = Padding(node, xn.Shape, kernel, strides, [1, 1], nhwc);
        long[]? shape = xn.Shape is { Length: 4 } s ? [s[0], s[1], outSpatial[0], outSpatial[1]] : null;
        var attributes = new List<AttributeProto> { OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides), padding };
        if (onnxOp == "AveragePool")
        {
            // TensorFlow averages over the valid (unpadded) pixels only.
            attributes.Add(OnnxAttr.Int("count_include_pad", 0));
        }
        var y = c.Op(onnxOp, [xn], x.Type, shape, attributes.ToArray());
        c.Set(nhwc ? c.Transpose(y, Shapes.NchwToNhwc) : y);
    }

    private static TfValue SwapLastTwo(TfjsConverter c, TfValue v)
    {
        var rank = v.Rank ?? throw NotSupported("transposing a matrix operand needs its rank");
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[rank - 1], perm[rank - 2]) = (perm[rank - 2], perm[rank - 1]);
        return c.Transpose(v, perm);
    }

    private static void MatMul(TfjsConverter c, string transposeA, string transposeB)
    {
        var node = c.Node;
        var a = c.In(0);
        var b = c.In(1);
        if (node.Bool(transposeA))
        {
            a = SwapLastTwo(c, a);
        }
        if (node.Bool(transposeB))
        {
            b = SwapLastTwo(c, b);
        }
        long[]? shape = null;
        if (a.Shape is { Length: >= 2 } sa && b.Shape is { Length: >= 2 } sb)
        {
            var batch = Shapes.Broadcast(sa[..^2], sb[..^2]);
            shape = batch is null ? null : [.. batch, sa[^2], sb[^1]];
        }
        var y = c.Op("MatMul", [a, b], a.Type, shape);
        var fused = node.Strings("fused_ops");
        var args = Enumerable.Range(2, Math.Max(0, c.InputCount - 2)).Select(c.In).ToList();
        var argIndex = 0;
        c.Set(ApplyFusedOps(c, y, fused, args, ref argIndex, channelAxis: -1));
    }
}
