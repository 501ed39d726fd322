using System.Text.RegularExpressions;

namespace ModelZoo.Import.Tfjs.Layers;

/// <summary>
/// The layer table: one converter per Keras layer class that TensorFlow.js's <c>tf.layers</c> also has, emitting the TensorFlow ops TensorFlow.js runs for that layer
/// at inference (<c>tf.layers</c> semantics: NHWC, dropout and noise layers pass their input through). Nested models
/// (<c>Sequential</c>, <c>Functional</c>, <c>Model</c>) are expanded by <see cref="KerasLayersModel"/>.
/// </summary>
internal static partial class KerasLayerTable
{
    private static readonly Lazy<IReadOnlyDictionary<string, Func<KerasLayerCall, string>>> LazyTable = new(Build);

    /// <summary>Converters by Keras class name.</summary>
    public static IReadOnlyDictionary<string, Func<KerasLayerCall, string>> Table => LazyTable.Value;

    /// <summary>Looks a class up, including the custom classes whose meaning is known (see <see cref="Custom"/>).</summary>
    public static Func<KerasLayerCall, string>? Find(string className) =>
        Table.TryGetValue(className, out var converter) ? converter : Custom(className);

    private static Dictionary<string, Func<KerasLayerCall, string>> Build()
    {
        var t = new Dictionary<string, Func<KerasLayerCall, string>>(StringComparer.Ordinal)
        {
            ["Conv2D"] = Conv2D,
            ["DepthwiseConv2D"] = DepthwiseConv2D,
            ["SeparableConv2D"] = SeparableConv2D,
            ["Dense"] = Dense,
            ["Activation"] = c => Activate(c, c.Input, c.Str("activation", "linear")),
            ["ReLU"] = ReLU,
            ["LeakyReLU"] = c => c.Op("LeakyRelu", [c.Input], ("alpha", TfAttr.Float(c.Double("alpha", 0.3)))),
            ["ELU"] = c => c.Double("alpha", 1) == 1
                ? c.Op("Elu", [c.Input])
                : throw new NodeNotSupportedException($"alpha {c.Double("alpha", 1)}: only 1 is translated"),
            ["PReLU"] = c => c.Op("Prelu", [c.Input, c.Weight("alpha")]),
            ["Softmax"] = c => c.Int("axis", -1) == -1
                ? c.Op("Softmax", [c.Input])
                : throw new NodeNotSupportedException($"axis {c.Int("axis", -1)}: only the last axis is translated"),
            ["BatchNormalization"] = BatchNormalization,
            ["Add"] = c => Merge(c, "AddV2"),
            ["Multiply"] = c => Merge(c, "Mul"),
            ["Maximum"] = c => Merge(c, "Maximum"),
            ["Minimum"] = c => Merge(c, "Minimum"),
            ["Average"] = c => c.Op("Mul", [Merge(c, "AddV2"), c.Floats([], [1f / c.Inputs.Count])]),
            ["Concatenate"] = c => c.Op("ConcatV2", [.. c.Inputs, c.Ints((int)c.Int("axis", -1))], ("N", TfAttr.Int(c.Inputs.Count))),
            ["UpSampling2D"] = UpSampling2D,
            ["MaxPooling2D"] = c => Pool(c, "MaxPool"),
            ["AveragePooling2D"] = c => Pool(c, "AvgPool"),
            ["GlobalAveragePooling2D"] = c => GlobalPool(c, "Mean"),
            ["GlobalMaxPooling2D"] = c => GlobalPool(c, "Max"),
            ["ZeroPadding2D"] = ZeroPadding2D,
            ["Flatten"] = c => Reshape(c, c.Input, [-1]),
            ["Reshape"] = c => Reshape(c, c.Input, c.Config.GetProperty("target_shape").EnumerateArray().Select(e => (int)e.GetInt64()).ToArray()),
        };
        foreach (var passThrough in new[] { "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout" })
        {
            t[passThrough] = c => c.Op("Identity", [c.Input]);
        }
        return t;
    }

    [GeneratedRegex("^PixelShuffle([0-9]+)x$")]
    private static partial Regex PixelShuffleClass();

    /// <summary>
    /// Custom classes with a published meaning. UpscalerJS's ESRGAN models (npm <c>@upscalerjs/esrgan-*</c>) register
    /// <c>MultiplyBeta</c> (multiplies by the residual scaling β = 0.2) and <c>PixelShuffle&lt;N&gt;x</c>
    /// (<c>depthToSpace</c> with block N, NHWC) before loading. Any other custom class (and <c>Lambda</c>, whose body
    /// is Python code) is reported by name.
    /// </summary>
    private static Func<KerasLayerCall, string>? Custom(string className)
    {
        if (className == "MultiplyBeta")
        {
            return c => c.Op("Mul", [c.Input, c.Floats([], [0.2f])]);
        }
        var shuffle = PixelShuffleClass().Match(className);
        if (shuffle.Success)
        {
            var block = long.Parse(shuffle.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return c => c.Op("DepthToSpace", [c.Input], ("block_size", TfAttr.Int(c.Int("scale", block))), ("data_format", TfAttr.String("NHWC")));
        }
        return null;
    }

    /// <summary>A Keras activation by name, as <c>tf.layers</c> computes it.</summary>
    public static string Activate(KerasLayerCall c, string x, string activation) => activation switch
    {
        "linear" => x,
        "relu" => c.Op("Relu", [x]),
        "relu6" => c.Op("Relu6", [x]),
        "sigmoid" => c.Op("Sigmoid", [x]),
        "tanh" => c.Op("Tanh", [x]),
        "softmax" => c.Op("Softmax", [x]),
        "elu" => c.Op("Elu", [x]),
        "selu" => c.Op("Selu", [x]),
        "softplus" => c.Op("Softplus", [x]),
        "swish" or "silu" => c.Op("Mul", [x, c.Op("Sigmoid", [x])]),
        // tf.layers: clip(0.2 x + 0.5, 0, 1).
        "hard_sigmoid" => c.Op("Minimum", [c.Op("Maximum", [c.Op("AddV2", [c.Op("Mul", [x, c.Floats([], [0.2f])]), c.Floats([], [0.5f])]),
            c.Floats([], [0f])]), c.Floats([], [1f])]),
        _ => throw new NodeNotSupportedException($"activation '{activation}' is not translated"),
    };

    private static string BiasAndActivation(KerasLayerCall c, string y)
    {
        if (c.Bool("use_bias", true))
        {
            y = c.Op("BiasAdd", [y, c.Weight("bias")], ("data_format", TfAttr.String("NHWC")));
        }
        return Activate(c, y, c.Str("activation", "linear"));
    }

    private static (string Key, JsonElement Value)[] ConvAttrs(KerasLayerCall c)
    {
        c.RequireChannelsLast();
        var strides = c.Pair("strides", [1, 1]);
        var dilations = c.Pair("dilation_rate", [1, 1]);
        return
        [
            ("strides", TfAttr.Ints(1, strides[0], strides[1], 1)),
            ("dilations", TfAttr.Ints(1, dilations[0], dilations[1], 1)),
            ("padding", TfAttr.String(Padding(c))),
            ("data_format", TfAttr.String("NHWC")),
        ];
    }

    private static string Padding(KerasLayerCall c) => c.Str("padding", "valid") switch
    {
        "valid" => "VALID",
        "same" => "SAME",
        var other => throw new NodeNotSupportedException($"padding '{other}' is not translated"),
    };

    private static string Conv2D(KerasLayerCall c)
    {
        // A grouped kernel is [kh, kw, in/groups, out]; the Conv2D converter reads the group count from it.
        var y = c.Op("Conv2D", [c.Input, c.Weight("kernel")], ConvAttrs(c));
        return BiasAndActivation(c, y);
    }

    private static string DepthwiseConv2D(KerasLayerCall c)
    {
        var y = c.Op("DepthwiseConv2dNative", [c.Input, c.Weight("depthwise_kernel")], ConvAttrs(c));
        return BiasAndActivation(c, y);
    }

    private static string SeparableConv2D(KerasLayerCall c)
    {
        var depthwise = c.Op("DepthwiseConv2dNative", [c.Input, c.Weight("depthwise_kernel")], ConvAttrs(c));
        var y = c.Op("Conv2D", [depthwise, c.Weight("pointwise_kernel")], ("strides", TfAttr.Ints(1, 1, 1, 1)),
            ("dilations", TfAttr.Ints(1, 1, 1, 1)), ("padding", TfAttr.String("VALID")), ("data_format", TfAttr.String("NHWC")));
        return BiasAndActivation(c, y);
    }

    private static string Dense(KerasLayerCall c)
    {
        // ONNX MatMul broadcasts [..., in] x [in, out] as tf.layers.dense applies the kernel to the last axis.
        var y = c.Op("MatMul", [c.Input, c.Weight("kernel")]);
        return BiasAndActivation(c, y);
    }

    private static string ReLU(KerasLayerCall c)
    {
        if (c.Double("threshold", 0) != 0)
        {
            throw new NodeNotSupportedException($"threshold {c.Double("threshold", 0)}: only 0 is translated");
        }
        var slope = c.Double("negative_slope", 0);
        var y = slope == 0 ? c.Op("Relu", [c.Input]) : c.Op("LeakyRelu", [c.Input], ("alpha", TfAttr.Float(slope)));
        return c.Has("max_value") ? c.Op("Minimum", [y, c.Floats([], [(float)c.Double("max_value", 0)])]) : y;
    }

    private static string BatchNormalization(KerasLayerCall c)
    {
        var axis = c.Config.TryGetProperty("axis", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() == 1 ? a[0].GetInt64() : c.Int("axis", -1);
        if (axis is not (-1 or 3))
        {
            throw new NodeNotSupportedException($"axis {axis}: only the channel (last) axis is translated");
        }
        var epsilon = c.Double("epsilon", 1e-3);
        var mean = c.WeightValue("moving_mean").ToDoubles();
        var variance = c.WeightValue("moving_variance").ToDoubles();
        var gamma = c.Bool("scale", true) ? c.WeightValue("gamma").ToDoubles() : null;
        var beta = c.Bool("center", true) ? c.WeightValue("beta").ToDoubles() : null;
        var n = mean.Length;
        if (variance.Length != n || (gamma is not null && gamma.Length != n) || (beta is not null && beta.Length != n))
        {
            throw new InvalidDataException($"its mean, variance, gamma and beta differ in length");
        }
        // Folded at import: y = x * scale + shift, scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
        var scale = new float[n];
        var shift = new float[n];
        for (var i = 0; i < n; i++)
        {
            var s = (gamma?[i] ?? 1) / Math.Sqrt(variance[i] + epsilon);
            scale[i] = (float)s;
            shift[i] = (float)((beta?[i] ?? 0) - mean[i] * s);
        }
        return c.Op("AddV2", [c.Op("Mul", [c.Input, c.Floats([n], scale)]), c.Floats([n], shift)]);
    }

    private static string Merge(KerasLayerCall c, string op)
    {
        if (c.Inputs.Count < 2)
        {
            throw new NodeNotSupportedException($"a merge layer needs at least two inputs, called on {c.Inputs.Count}");
        }
        var y = c.Inputs[0];
        for (var i = 1; i < c.Inputs.Count; i++)
        {
            y = c.Op(op, [y, c.Inputs[i]]);
        }
        return y;
    }

    private static string UpSampling2D(KerasLayerCall c)
    {
        c.RequireChannelsLast();
        var size = c.Pair("size", [2, 2]);
        var op = c.Str("interpolation", "nearest") switch
        {
            "nearest" => "ResizeNearestNeighbor",
            "bilinear" => "ResizeBilinear",
            var other => throw new NodeNotSupportedException($"interpolation '{other}' is not translated"),
        };
        // tf.layers: resize to [h * size0, w * size1] with alignCorners and halfPixelCenters false.
        var shape = c.Op("Shape", [c.Input], ("out_type", TfAttr.Type("DT_INT32")));
        var hw = c.Op("StridedSlice", [shape, c.Ints(1), c.Ints(3), c.Ints(1)]);
        var target = c.Op("Mul", [hw, c.Ints((int)size[0], (int)size[1])]);
        return c.Op(op, [c.Input, target], ("align_corners", TfAttr.Bool(false)), ("half_pixel_centers", TfAttr.Bool(false)));
    }

    private static string Pool(KerasLayerCall c, string op)
    {
        c.RequireChannelsLast();
        var pool = c.Pair("pool_size", [2, 2]);
        var strides = c.Pair("strides", pool);
        return c.Op(op, [c.Input], ("ksize", TfAttr.Ints(1, pool[0], pool[1], 1)), ("strides", TfAttr.Ints(1, strides[0], strides[1], 1)),
            ("padding", TfAttr.String(Padding(c))), ("data_format", TfAttr.String("NHWC")));
    }

    private static string GlobalPool(KerasLayerCall c, string op)
    {
        c.RequireChannelsLast();
        return c.Op(op, [c.Input, c.Ints(1, 2)], ("keep_dims", TfAttr.Bool(c.Bool("keepdims", false))));
    }

    private static string ZeroPadding2D(KerasLayerCall c)
    {
        c.RequireChannelsLast();
        long top, bottom, left, right;
        var p = c.Config.GetProperty("padding");
        if (p.ValueKind == JsonValueKind.Number)
        {
            top = bottom = left = right = p.GetInt64();
        }
        else if (p.GetArrayLength() == 2 && p[0].ValueKind == JsonValueKind.Number)
        {
            top = bottom = p[0].GetInt64();
            left = right = p[1].GetInt64();
        }
        else
        {
            (top, bottom, left, right) = (p[0][0].GetInt64(), p[0][1].GetInt64(), p[1][0].GetInt64(), p[1][1].GetInt64());
        }
        var paddings = c.Builder.Constant(ConstTensor.Ints([4, 2], [0, 0, (int)top, (int)bottom, (int)left, (int)right, 0, 0]));
        return c.Op("Pad", [c.Input, paddings]);
    }

    /// <summary>Keeps the batch dimension and reshapes the rest to <paramref name="target"/> (-1 for one inferred size).</summary>
    private static string Reshape(KerasLayerCall c, string x, int[] target)
    {
        var shape = c.Op("Shape", [x], ("out_type", TfAttr.Type("DT_INT32")));
        var batch = c.Op("StridedSlice", [shape, c.Ints(0), c.Ints(1), c.Ints(1)]);
        var full = c.Op("ConcatV2", [batch, c.Ints(target), c.Ints(0)], ("N", TfAttr.Int(2)));
        return c.Op("Reshape", [x, full]);
    }
}
