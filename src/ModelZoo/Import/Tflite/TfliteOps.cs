using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// The operator converters by TFLite name (builtin names such as <c>CONV_2D</c>, custom codes such as
/// <c>Convolution2DTransposeBias</c>). TFLite tensors are NHWC with static shapes: convolutions, pooling, resizing and
/// depth-to-space are transposed to NCHW around the ONNX node and back (ONNX Runtime removes the transposes that cancel
/// out), element-wise ops run on NHWC as they are. Options tables are read by the schema's field order.
/// </summary>
internal static class TfliteOps
{
    public static IReadOnlyDictionary<string, Action<TfliteConverter>> Table { get; } = Build();

    private static Dictionary<string, Action<TfliteConverter>> Build()
    {
        var t = new Dictionary<string, Action<TfliteConverter>>(StringComparer.Ordinal)
        {
            ["CONV_2D"] = c => Convolution(c, depthwise: false),
            ["DEPTHWISE_CONV_2D"] = c => Convolution(c, depthwise: true),
            ["TRANSPOSE_CONV"] = TransposeConv,
            ["Convolution2DTransposeBias"] = TransposeConvBias,
            ["MAX_POOL_2D"] = c => Pool(c, "MaxPool"),
            ["AVERAGE_POOL_2D"] = c => Pool(c, "AveragePool"),
            ["FULLY_CONNECTED"] = FullyConnected,
            ["ADD"] = c => Binary(c, "Add", fusedField: 0),
            ["SUB"] = c => Binary(c, "Sub", fusedField: 0),
            ["MUL"] = c => Binary(c, "Mul", fusedField: 0),
            ["DIV"] = c => Binary(c, "Div", fusedField: 0),
            ["MAXIMUM"] = c => Binary(c, "Max", fusedField: -1),
            ["MINIMUM"] = c => Binary(c, "Min", fusedField: -1),
            ["LOGISTIC"] = c => Unary(c, "Sigmoid"),
            ["TANH"] = c => Unary(c, "Tanh"),
            ["RELU"] = c => c.Set(Activation(c, c.In(0), 1)),
            ["RELU_N1_TO_1"] = c => c.Set(Activation(c, c.In(0), 2)),
            ["RELU6"] = c => c.Set(Activation(c, c.In(0), 3)),
            ["HARD_SWISH"] = c => Unary(c, "HardSwish"),
            ["PRELU"] = c => c.Set(c.Op("PRelu", [c.In(0), c.In(1)], TensorType.Float, c.OutTensor().Shape)),
            ["LEAKY_RELU"] = c => c.Set(c.Op("LeakyRelu", [c.In(0)], TensorType.Float, c.OutTensor().Shape,
                OnnxAttr.Float("alpha", c.Operator.Options?.Float(0) ?? 0f))),
            ["SOFTMAX"] = Softmax,
            ["PAD"] = Pad,
            ["PADV2"] = Pad,
            ["RESHAPE"] = c => c.Set(c.Reshape(c.In(0), c.OutTensor().Shape)),
            ["CONCATENATION"] = Concatenation,
            ["MEAN"] = Mean,
            ["RESIZE_BILINEAR"] = Resize,
            ["DEPTH_TO_SPACE"] = DepthToSpace,
            ["TRANSPOSE"] = c => c.Set(c.Transpose(c.In(0), c.ConstIn(1, "perm").ToLongs().Select(p => (int)p).ToArray())),
            ["DEQUANTIZE"] = Dequantize,
            ["DENSIFY"] = Densify,
        };
        return t;
    }

    private static NodeNotSupportedException NotSupported(string reason) => new(reason);

    private static int[] NhwcToNchw => Shapes.NhwcToNchw;

    private static int[] NchwToNhwc => Shapes.NchwToNhwc;

    private static long[] Nchw(long[] nhwc) => [nhwc[0], nhwc[3], nhwc[1], nhwc[2]];

    /// <summary>Applies the schema's <c>ActivationFunctionType</c> (0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6, 4 TANH).</summary>
    private static TfValue Activation(TfliteConverter c, TfValue x, int function) => function switch
    {
        0 => x,
        1 => c.Op("Relu", [x], x.Type, x.Shape),
        2 => c.Op("Clip", [x, c.Scalar(-1), c.Scalar(1)], x.Type, x.Shape),
        3 => c.Op("Clip", [x, c.Scalar(0), c.Scalar(6)], x.Type, x.Shape),
        4 => c.Op("Tanh", [x], x.Type, x.Shape),
        _ => throw NotSupported($"fused activation function {function} is not supported"),
    };

    private static long[] Rank4(TfliteTensor tensor, string what) =>
        tensor.Shape.Length == 4 ? tensor.Shape : throw NotSupported($"{what} must be 4-D NHWC, found [{string.Join(",", tensor.Shape)}]");

    /// <summary>TensorFlow's padding (schema <c>Padding</c>: 0 SAME, 1 VALID) as ONNX pads [top, left, bottom, right].</summary>
    private static long[] Pads(int padding, long[] input, long[] kernel, long[] strides, long[] dilations)
    {
        if (padding == 1)
        {
            return [0, 0, 0, 0];
        }
        if (padding != 0)
        {
            throw NotSupported($"padding mode {padding} is not supported");
        }
        var pads = new long[4];
        for (var i = 0; i < 2; i++)
        {
            var effective = (kernel[i] - 1) * dilations[i] + 1;
            var output = (input[i] + strides[i] - 1) / strides[i];
            // TensorFlow puts the odd padding pixel at the end.
            var total = Math.Max((output - 1) * strides[i] + effective - input[i], 0);
            pads[i] = total / 2;
            pads[i + 2] = total - total / 2;
        }
        return pads;
    }

    private static long[] Positive(int h, int w, string what) =>
        h > 0 && w > 0 ? [h, w] : throw NotSupported($"{what} must be positive, found {h}x{w}");

    private static void Convolution(TfliteConverter c, bool depthwise)
    {
        // Conv2DOptions: padding 0, stride_w 1, stride_h 2, activation 3, dilation_w 4, dilation_h 5.
        // DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3, activation 4, dilation_w 5, dilation_h 6.
        var o = c.Operator.Options ?? throw NotSupported("the options table is missing");
        var x = c.In(0);
        var filter = c.In(1);
        var bias = c.OptionalIn(2);
        var input = Rank4(c.Model.Tensors[c.Operator.Inputs[0]], "the input");
        var output = Rank4(c.OutTensor(), "the output");
        if (filter.Shape is not { Length: 4 } fs)
        {
            throw NotSupported("the filter must be 4-D");
        }
        var strides = Positive(o.Int(2), o.Int(1), "strides");
        var dilations = depthwise ? Positive(o.Int(6, 1), o.Int(5, 1), "dilations") : Positive(o.Int(5, 1), o.Int(4, 1), "dilations");
        var activation = depthwise ? o.Byte(4) : o.Byte(3);
        long[] kernel = [fs[1], fs[2]];
        TfValue weight;
        long group;
        if (depthwise)
        {
            // [1, kh, kw, cin·m] -> [cin·m, 1, kh, kw]: output channel c·m + k is ONNX's group order.
            weight = c.Transpose(filter, [3, 0, 1, 2]);
            group = input[3];
        }
        else
        {
            // [out, kh, kw, in] -> [out, in, kh, kw].
            weight = c.Transpose(filter, [0, 3, 1, 2]);
            group = fs[3] > 0 && input[3] % fs[3] == 0 ? input[3] / fs[3] : throw NotSupported("input channels do not match the filter");
        }
        var pads = Pads(o.Byte(0), [input[1], input[2]], kernel, strides, dilations);
        var inputs = new List<TfValue?> { c.Transpose(x, NhwcToNchw), weight };
        if (bias is not null)
        {
            inputs.Add(bias);
        }
        var y = c.Op("Conv", inputs, TensorType.Float, Nchw(output),
            OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides), OnnxAttr.Ints("dilations", dilations),
            OnnxAttr.Int("group", group), OnnxAttr.Ints("pads", pads));
        c.Set(Activation(c, c.Transpose(y, NchwToNhwc), activation));
    }

    private static void TransposeConv(TfliteConverter c)
    {
        // Inputs: output_shape, weights [out, kh, kw, in], input, optional bias. TransposeConvOptions: padding 0,
        // stride_w 1, stride_h 2, activation 3.
        var o = c.Operator.Options ?? throw NotSupported("the options table is missing");
        var activation = o.Byte(3);
        TransposedConvolution(c, c.In(2), c.In(1), c.OptionalIn(3), c.Model.Tensors[c.Operator.Inputs[2]], o.Byte(0),
            Positive(o.Int(2), o.Int(1), "strides"), activation);
    }

    /// <summary>MediaPipe's custom op: inputs (input, weights [out, kh, kw, in], bias); the custom options are TFLite's
    /// <c>TfLiteTransposeConvParams</c> as raw int32s (padding 1 SAME / 2 VALID, stride_w, stride_h).</summary>
    private static void TransposeConvBias(TfliteConverter c)
    {
        var raw = c.Operator.CustomOptions;
        if (raw.Length < 12)
        {
            throw NotSupported($"custom options hold {raw.Length} bytes, expected 12 (padding, stride_w, stride_h)");
        }
        var padding = BitConverter.ToInt32(raw, 0) switch
        {
            1 => 0,
            2 => 1,
            var p => throw NotSupported($"padding {p} is not supported"),
        };
        var strides = Positive(BitConverter.ToInt32(raw, 8), BitConverter.ToInt32(raw, 4), "strides");
        TransposedConvolution(c, c.In(0), c.In(1), c.OptionalIn(2), c.Model.Tensors[c.Operator.Inputs[0]], padding, strides, 0);
    }

    private static void TransposedConvolution(TfliteConverter c, TfValue x, TfValue filter, TfValue? bias, TfliteTensor inputTensor,
        int padding, long[] strides, int activation)
    {
        var input = Rank4(inputTensor, "the input");
        var output = Rank4(c.OutTensor(), "the output");
        if (filter.Shape is not { Length: 4 } fs || fs[3] != input[3] || fs[0] != output[3])
        {
            throw NotSupported("the weights must be [out, kh, kw, in] matching the input and output channels");
        }
        long[] kernel = [fs[1], fs[2]];
        var pads = new long[4];
        var outputPadding = new long[2];
        for (var i = 0; i < 2; i++)
        {
            // The gradient of a convolution of the output size: SAME pads as that convolution would, VALID not at all.
            var total = padding == 0 ? Math.Max((input[1 + i] - 1) * strides[i] + kernel[i] - output[1 + i], 0) : 0;
            pads[i] = total / 2;
            pads[i + 2] = total - total / 2;
            outputPadding[i] = output[1 + i] - ((input[1 + i] - 1) * strides[i] + kernel[i] - total);
            if (outputPadding[i] < 0 || outputPadding[i] >= strides[i])
            {
                throw NotSupported("the output shape does not match the input, weights and strides");
            }
        }
        // [out, kh, kw, in] -> ONNX ConvTranspose's [in, out, kh, kw].
        var inputs = new List<TfValue?> { c.Transpose(x, NhwcToNchw), c.Transpose(filter, [3, 0, 1, 2]) };
        if (bias is not null)
        {
            inputs.Add(bias);
        }
        var y = c.Op("ConvTranspose", inputs, TensorType.Float, Nchw(output),
            OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides), OnnxAttr.Ints("pads", pads),
            OnnxAttr.Ints("output_padding", outputPadding));
        c.Set(Activation(c, c.Transpose(y, NchwToNhwc), activation));
    }

    private static void Pool(TfliteConverter c, string onnxOp)
    {
        // Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, activation 5.
        var o = c.Operator.Options ?? throw NotSupported("the options table is missing");
        var input = Rank4(c.Model.Tensors[c.Operator.Inputs[0]], "the input");
        var output = Rank4(c.OutTensor(), "the output");
        var kernel = Positive(o.Int(4), o.Int(3), "the filter size");
        var strides = Positive(o.Int(2), o.Int(1), "strides");
        var attributes = new List<AttributeProto>
        {
            OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides),
            OnnxAttr.Ints("pads", Pads(o.Byte(0), [input[1], input[2]], kernel, strides, [1, 1])),
        };
        if (onnxOp == "AveragePool")
        {
            // TensorFlow averages over the valid (unpadded) pixels only.
            attributes.Add(OnnxAttr.Int("count_include_pad", 0));
        }
        var y = c.Op(onnxOp, [c.Transpose(c.In(0), NhwcToNchw)], TensorType.Float, Nchw(output), attributes.ToArray());
        c.Set(Activation(c, c.Transpose(y, NchwToNhwc), o.Byte(5)));
    }

    private static void FullyConnected(TfliteConverter c)
    {
        // FullyConnectedOptions: activation 0, weights_format 1 (0 = DEFAULT), keep_num_dims 2.
        var o = c.Operator.Options;
        if (o?.Byte(1) is > 0)
        {
            throw NotSupported("shuffled weights formats are not supported");
        }
        var weights = c.In(1);
        if (weights.Shape is not { Length: 2 } ws)
        {
            throw NotSupported("the weights must be 2-D [out, in]");
        }
        var bias = c.OptionalIn(2);
        var x = c.Reshape(c.In(0), [-1, ws[1]]);
        var inputs = new List<TfValue?> { x, weights };
        if (bias is not null)
        {
            inputs.Add(bias);
        }
        var y = c.Op("Gemm", inputs, TensorType.Float, null, OnnxAttr.Int("transB", 1));
        c.Set(Activation(c, c.Reshape(y, c.OutTensor().Shape), o?.Byte(0) ?? 0));
    }

    private static void Binary(TfliteConverter c, string onnxOp, int fusedField)
    {
        var y = c.Op(onnxOp, [c.In(0), c.In(1)], TensorType.Float, c.OutTensor().Shape);
        var activation = fusedField >= 0 && c.Operator.Options is { } o ? o.Byte(fusedField) : 0;
        c.Set(Activation(c, y, activation));
    }

    private static void Unary(TfliteConverter c, string onnxOp) =>
        c.Set(c.Op(onnxOp, [c.In(0)], TensorType.Float, c.OutTensor().Shape));

    private static void Softmax(TfliteConverter c)
    {
        // SoftmaxOptions: beta 0.
        var beta = c.Operator.Options is { } o && o.Has(0) ? o.Float(0) : 1f;
        var x = c.In(0);
        if (beta != 1f)
        {
            x = c.Op("Mul", [x, c.Scalar(beta)], TensorType.Float, x.Shape);
        }
        c.Set(c.Op("Softmax", [x], TensorType.Float, c.OutTensor().Shape, OnnxAttr.Int("axis", -1)));
    }

    private static void Pad(TfliteConverter c)
    {
        var x = c.In(0);
        var paddings = c.ConstIn(1, "paddings").ToLongs();
        var rank = c.Model.Tensors[c.Operator.Inputs[0]].Shape.Length;
        if (paddings.Length != 2 * rank)
        {
            throw NotSupported($"paddings hold {paddings.Length} values for a rank-{rank} input");
        }
        var pads = new long[2 * rank];
        for (var i = 0; i < rank; i++)
        {
            pads[i] = paddings[2 * i];
            pads[rank + i] = paddings[2 * i + 1];
        }
        var inputs = new List<TfValue?> { x, c.Longs(pads) };
        if (c.OptionalIn(2) is { } value)
        {
            inputs.Add(value.Const is { } k ? c.Scalar((float)k.ToDoubles()[0]) : value);
        }
        c.Set(c.Op("Pad", inputs, TensorType.Float, c.OutTensor().Shape));
    }

    private static void Concatenation(TfliteConverter c)
    {
        // ConcatenationOptions: axis 0, activation 1.
        var o = c.Operator.Options;
        var rank = c.OutTensor().Shape.Length;
        var axis = Shapes.Axis(o?.Int(0) ?? 0, rank);
        var inputs = Enumerable.Range(0, c.Operator.Inputs.Length).Select(i => (TfValue?)c.In(i)).ToList();
        var y = c.Op("Concat", inputs, TensorType.Float, c.OutTensor().Shape, OnnxAttr.Int("axis", axis));
        c.Set(Activation(c, y, o?.Byte(1) ?? 0));
    }

    private static void Mean(TfliteConverter c)
    {
        // ReducerOptions: keep_dims 0.
        var rank = c.Model.Tensors[c.Operator.Inputs[0]].Shape.Length;
        var axes = c.ConstIn(1, "axes").ToLongs().Select(a => (long)Shapes.Axis(a, rank)).Distinct().Order().ToArray();
        var keep = c.Operator.Options?.Bool(0) ?? false;
        c.Set(c.Op("ReduceMean", [c.In(0)], TensorType.Float, c.OutTensor().Shape,
            OnnxAttr.Ints("axes", axes), OnnxAttr.Int("keepdims", keep ? 1 : 0)));
    }

    private static void Resize(TfliteConverter c)
    {
        // ResizeBilinearOptions: new_height 0 and new_width 1 (deprecated), align_corners 2, half_pixel_centers 3.
        var o = c.Operator.Options;
        var alignCorners = o?.Bool(2) ?? false;
        var halfPixel = o?.Bool(3) ?? false;
        var output = Rank4(c.OutTensor(), "the output");
        var mode = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
        var y = c.Op("Resize", [c.Transpose(c.In(0), NhwcToNchw), null, null, c.Longs(Nchw(output))], TensorType.Float, Nchw(output),
            OnnxAttr.String("mode", "linear"), OnnxAttr.String("coordinate_transformation_mode", mode));
        c.Set(c.Transpose(y, NchwToNhwc));
    }

    private static void DepthToSpace(TfliteConverter c)
    {
        // DepthToSpaceOptions: block_size 0. TensorFlow's NHWC order is ONNX's DCR mode on NCHW.
        var block = c.Operator.Options?.Int(0) ?? 0;
        if (block < 1)
        {
            throw NotSupported($"block_size {block} is not supported");
        }
        var output = Rank4(c.OutTensor(), "the output");
        var y = c.Op("DepthToSpace", [c.Transpose(c.In(0), NhwcToNchw)], TensorType.Float, Nchw(output),
            OnnxAttr.Int("blocksize", block), OnnxAttr.String("mode", "DCR"));
        c.Set(c.Transpose(y, NchwToNhwc));
    }

    /// <summary>DEQUANTIZE of a stored constant is folded: fp16 values were widened when read, 8/16-bit integers are
    /// scaled per tensor or per axis here. Dequantizing a run-time tensor would mean a quantized model.</summary>
    private static void Dequantize(TfliteConverter c)
    {
        var tensor = c.Model.Tensors[c.Operator.Inputs[0]];
        var value = c.In(0);
        if (value.Const is not { } k)
        {
            throw NotSupported("dequantizing a run-time tensor (a quantized model) is not supported");
        }
        if (tensor.Type is TfliteTensorTypes.Float16 or TfliteTensorTypes.Float32)
        {
            c.Set(value);
            return;
        }
        var q = tensor.Quantization ?? throw NotSupported($"the {TfliteTensorTypes.Name(tensor.Type)} constant '{tensor.Name}' has no quantization parameters");
        var raw = k.ToDoubles();
        var axis = q.Scale.Length == 1 ? -1 : q.Axis;
        if (axis >= tensor.Shape.Length || (axis >= 0 && tensor.Shape[axis] != q.Scale.Length)
            || (q.ZeroPoint.Length != 0 && q.ZeroPoint.Length != q.Scale.Length))
        {
            throw NotSupported($"the quantization of '{tensor.Name}' does not match its shape");
        }
        var strides = Shapes.Strides(tensor.Shape);
        var result = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var channel = axis < 0 ? 0 : (int)(i / strides[axis] % tensor.Shape[axis]);
            var zero = q.ZeroPoint.Length == 0 ? 0 : q.ZeroPoint[channel];
            result[i] = (float)(q.Scale[channel] * (raw[i] - zero));
        }
        c.Set(c.Constant(ConstTensor.Floats(tensor.Shape, result)));
    }

    private static void Densify(TfliteConverter c)
    {
        var value = c.In(0);
        if (value.Const is null)
        {
            throw NotSupported("only stored sparse constants can be densified");
        }
        c.Set(value);
    }
}
