namespace ModelZoo.Import.Darknet;

/// <summary>
/// Translates the cfg's layers in order, each from the previous layer's output (or the layers a route or shortcut
/// names), reading each layer's weights in libdarknet's order. Shapes follow libdarknet's arithmetic: a convolution's
/// output is <c>(h + 2·pad − size) / stride + 1</c> with <c>pad = size / 2</c> when <c>pad=1</c>; a maxpool's is
/// <c>(h + padding − size) / stride + 1</c> with <c>padding</c> defaulting to <c>size − 1</c> and split as
/// <c>padding / 2</c> before, the rest after (libdarknet starts the window at <c>−padding / 2</c> and skips cells
/// outside the image, which is max pooling over −∞ padding).
/// </summary>
internal sealed class DarknetTranslator
{
    private readonly DarknetGraph _graph;
    private readonly DarknetWeights _weights;
    private readonly List<DarknetValue> _outputs = [];

    public DarknetTranslator(DarknetGraph graph, DarknetWeights weights)
    {
        _graph = graph;
        _weights = weights;
    }

    /// <summary>Each layer's output, by cfg layer index (0 = the first section after [net]).</summary>
    public IReadOnlyList<DarknetValue> Outputs => _outputs;

    /// <summary>The YOLO and region layers, by layer index, with their anchors and kind.</summary>
    public List<(int Index, string Kind, DarknetValue Value, float[] Anchors, int Count)> Heads { get; } = [];

    public void Translate(DarknetValue input, IReadOnlyList<DarknetSection> layers)
    {
        var previous = input;
        for (var i = 0; i < layers.Count; i++)
        {
            var s = layers[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{i}_{s.Type}");
            var result = s.Type switch
            {
                "convolutional" or "conv" => Convolutional(s, prefix, previous),
                "connected" or "conn" => Connected(s, prefix, previous),
                "maxpool" or "max" => MaxPool(s, prefix, previous),
                "avgpool" or "avg" => new DarknetValue(_graph.Node("GlobalAveragePool", prefix, [previous.Name]), previous.C, 1, 1),
                "route" => Route(s, prefix, i),
                "shortcut" => Shortcut(s, prefix, i, previous),
                "upsample" => Upsample(s, prefix, previous),
                "reorg" => Reorg(s, prefix, previous),
                "yolo" => Yolo(s, prefix, i, previous),
                "region" => Region(s, prefix, i, previous),
                "softmax" or "soft" => Softmax(s, prefix, previous),
                "crop" => Crop(s, prefix, previous),
                "dropout" or "cost" => previous,
                "net" or "network" => throw s.Invalid($"a second [{s.Type}] section at line {s.Line}"),
                _ => throw s.Unsupported("is a layer type the importer does not translate"),
            };
            if (result.C <= 0 || result.H <= 0 || result.W <= 0)
            {
                throw s.Invalid($"[{s.Type}] at line {s.Line} gives an empty output ({result.C}×{result.H}×{result.W}) from a {previous.C}×{previous.H}×{previous.W} input");
            }
            _outputs.Add(result);
            previous = result;
        }
    }

    private DarknetValue Convolutional(DarknetSection s, string prefix, DarknetValue x)
    {
        RejectFlags(s, "binary", "xnor", "flipped", "dontload", "dontloadscales");
        var n = Positive(s, "filters", s.Int("filters", 1));
        var size = Positive(s, "size", s.Int("size", 1));
        var stride = Positive(s, "stride", s.Int("stride", 1));
        var groups = Positive(s, "groups", s.Int("groups", 1));
        var pad = s.Int("pad", 0) != 0 ? size / 2 : s.Int("padding", 0);
        if (pad < 0)
        {
            throw s.Invalid($"'padding={pad}' at line {s.LineOf("padding")} is negative", s.LineOf("padding"));
        }
        if (x.C % groups != 0 || n % groups != 0)
        {
            throw s.Invalid($"'groups={groups}' at line {s.LineOf("groups")} does not divide the {x.C} input channels and {n} filters", s.LineOf("groups"));
        }
        var outH = (x.H + 2 * pad - size) / stride + 1;
        var outW = (x.W + 2 * pad - size) / stride + 1;
        if (x.H + 2 * pad < size || x.W + 2 * pad < size)
        {
            throw s.Invalid($"[convolutional] at line {s.Line} gives an empty output: a {size}×{size} filter does not fit the {x.W}×{x.H} input padded by {pad}");
        }
        var bn = s.Int("batch_normalize", 0) != 0;
        var activation = s.String("activation", "logistic");
        var what = $"[convolutional] at line {s.Line}";
        var biases = _weights.Take(n, what);
        float[]? scales = null, mean = null, variance = null;
        if (bn)
        {
            scales = _weights.Take(n, what);
            mean = _weights.Take(n, what);
            variance = _weights.Take(n, what);
        }
        var perFilter = (long)x.C / groups * size * size;
        var weights = _weights.Take(n * perFilter, what);
        if (bn)
        {
            // libdarknet: (x − mean) / (sqrt(var) + 1e-6) · scale + bias, folded into the filter and bias.
            for (var f = 0; f < n; f++)
            {
                var k = scales![f] / (MathF.Sqrt(variance![f]) + .000001f);
                for (long j = f * perFilter; j < (f + 1) * perFilter; j++)
                {
                    weights[j] *= k;
                }
                biases[f] -= mean![f] * k;
            }
        }
        var w = _graph.Floats(prefix + "/weights", weights, n, x.C / groups, size, size);
        var b = _graph.Floats(prefix + "/biases", biases, n);
        var y = _graph.Node("Conv", prefix, [x.Name, w, b],
            OnnxAttr.Ints("kernel_shape", size, size), OnnxAttr.Ints("strides", stride, stride),
            OnnxAttr.Ints("pads", pad, pad, pad, pad), OnnxAttr.Int("group", groups));
        return new DarknetValue(Activate(s, prefix, y, activation), n, outH, outW);
    }

    private DarknetValue Connected(DarknetSection s, string prefix, DarknetValue x)
    {
        RejectFlags(s, "dontload", "dontloadscales");
        var n = Positive(s, "output", s.Int("output", 1));
        var bn = s.Int("batch_normalize", 0) != 0;
        var activation = s.String("activation", "logistic");
        var inputs = x.Count;
        var what = $"[connected] at line {s.Line}";
        var biases = _weights.Take(n, what);
        var weights = _weights.Take(n * inputs, what);
        if (_weights.Transposed)
        {
            var t = new float[weights.Length];
            for (long i = 0; i < inputs; i++)
            {
                for (long o = 0; o < n; o++)
                {
                    t[o * inputs + i] = weights[i * n + o];
                }
            }
            weights = t;
        }
        if (bn)
        {
            var scales = _weights.Take(n, what);
            var mean = _weights.Take(n, what);
            var variance = _weights.Take(n, what);
            // libdarknet adds the bias after normalising; fold both into the matrix and bias.
            for (var o = 0; o < n; o++)
            {
                var k = scales[o] / (MathF.Sqrt(variance[o]) + .000001f);
                for (long j = o * inputs; j < (o + 1) * inputs; j++)
                {
                    weights[j] *= k;
                }
                biases[o] = biases[o] - mean[o] * k;
            }
        }
        var flat = _graph.Reshape(prefix, x.Name, 1, inputs);
        var y = _graph.Node("Gemm", prefix, [flat, _graph.Floats(prefix + "/weights", weights, n, inputs), _graph.Floats(prefix + "/biases", biases, n)],
            OnnxAttr.Int("transB", 1));
        var image = _graph.Reshape(prefix, Activate(s, prefix, y, activation), 1, n, 1, 1);
        return new DarknetValue(image, n, 1, 1);
    }

    private DarknetValue MaxPool(DarknetSection s, string prefix, DarknetValue x)
    {
        var stride = Positive(s, "stride", s.Int("stride", 1));
        var size = Positive(s, "size", s.Int("size", stride));
        var padding = s.Int("padding", size - 1);
        if (padding < 0)
        {
            throw s.Invalid($"'padding={padding}' at line {s.LineOf("padding")} is negative", s.LineOf("padding"));
        }
        int before = padding / 2, after = padding - before;
        var input = x.Name;
        if (before >= size || after >= size)
        {
            // ONNX pooling wants pads smaller than the window; pad with the lowest float instead (libdarknet's start value).
            var pads = _graph.Longs(prefix + "/pads", 0, 0, before, before, 0, 0, after, after);
            var low = _graph.Floats(prefix + "/low", [float.MinValue]);
            input = _graph.Node("Pad", prefix, [input, pads, low]);
            before = after = 0;
        }
        var y = _graph.Node("MaxPool", prefix, [input], OnnxAttr.Ints("kernel_shape", size, size),
            OnnxAttr.Ints("strides", stride, stride), OnnxAttr.Ints("pads", before, before, after, after));
        return new DarknetValue(y, x.C, (x.H + padding - size) / stride + 1, (x.W + padding - size) / stride + 1);
    }

    /// <summary>libdarknet's crop layer at inference: the centre crop_width × crop_height window (offsets rounded
    /// down), mapped from 0–1 to −1–1 (×2 − 1) unless <c>noadjust=1</c>; no flip.</summary>
    private DarknetValue Crop(DarknetSection s, string prefix, DarknetValue x)
    {
        var height = Positive(s, "crop_height", s.Int("crop_height", 1));
        var width = Positive(s, "crop_width", s.Int("crop_width", 1));
        if (height > x.H || width > x.W)
        {
            throw s.Invalid($"[crop] at line {s.Line} asks for {width}×{height} from a {x.W}×{x.H} input");
        }
        int top = (x.H - height) / 2, left = (x.W - width) / 2;
        var y = _graph.Node("Slice", prefix, [x.Name, _graph.Longs(prefix + "/starts", top, left),
            _graph.Longs(prefix + "/ends", top + height, left + width), _graph.Longs(prefix + "/axes", 2, 3)]);
        if (s.Int("noadjust", 0) == 0)
        {
            y = _graph.Node("Add", prefix, [_graph.Node("Mul", prefix, [y, _graph.Floats(prefix + "/two", [2f])]), _graph.Floats(prefix + "/minus-one", [-1f])]);
        }
        return new DarknetValue(y, x.C, height, width);
    }

    private DarknetValue Route(DarknetSection s, string prefix, int index)
    {
        if (s.Has("groups") || s.Has("group_id"))
        {
            throw s.Unsupported("with groups/group_id (a later Darknet's channel split) is not translated", s.LineOf("groups"));
        }
        var layers = s.Ints("layers") ?? throw s.Invalid($"[route] at line {s.Line} has no 'layers'");
        if (layers.Length == 0)
        {
            throw s.Invalid($"[route] at line {s.Line} has an empty 'layers'", s.LineOf("layers"));
        }
        var sources = layers.Select(l => Source(s, index, l, "layers")).ToList();
        if (sources.Any(v => v.H != sources[0].H || v.W != sources[0].W))
        {
            throw s.Invalid($"[route] at line {s.Line} joins layers of different sizes ({string.Join(", ", sources.Select(v => $"{v.W}×{v.H}"))})", s.LineOf("layers"));
        }
        if (sources.Count == 1)
        {
            return sources[0];
        }
        var y = _graph.Node("Concat", prefix, sources.Select(v => v.Name), OnnxAttr.Int("axis", 1));
        return new DarknetValue(y, sources.Sum(v => v.C), sources[0].H, sources[0].W);
    }

    private DarknetValue Shortcut(DarknetSection s, string prefix, int index, DarknetValue x)
    {
        var from = Source(s, index, s.Int("from"), "from");
        var alpha = s.Float("alpha", 1f);
        var beta = s.Float("beta", 1f);
        var a = alpha == 1f ? x.Name : _graph.Node("Mul", prefix, [x.Name, _graph.Floats(prefix + "/alpha", [alpha])]);
        var addend = from.C == x.C && from.H == x.H && from.W == x.W ? from.Name : Resampled(s, prefix, from, x, alpha);
        var b = beta == 1f ? addend : _graph.Node("Mul", prefix, [addend, _graph.Floats(prefix + "/beta", [beta])]);
        var y = _graph.Node("Add", prefix, [a, b]);
        return x with { Name = Activate(s, prefix, y, s.String("activation", "linear")) };
    }

    /// <summary>
    /// libdarknet's <c>shortcut_cpu</c> for layers of different shapes: over the first min(C) channels and min(H)×min(W)
    /// cells, output cell (j·sample, i·sample) gains input cell (j·stride, i·stride), with stride = W_from / W_out and
    /// sample = W_out / W_from (each at least 1); every other output cell keeps the previous layer's value. Built as the
    /// strided slice of the source, spread out by zero cells when sample &gt; 1, and zero-padded to the output's shape.
    /// </summary>
    private string Resampled(DarknetSection s, string prefix, DarknetValue from, DarknetValue x, float alpha)
    {
        if (alpha != 1f)
        {
            throw s.Unsupported($"with 'alpha' between layers of different shapes ({from.C}×{from.H}×{from.W} and {x.C}×{x.H}×{x.W}) is not translated", s.LineOf("alpha"));
        }
        int stride = Math.Max(1, from.W / x.W), sample = Math.Max(1, x.W / from.W);
        if (stride != Math.Max(1, from.H / x.H) || sample != Math.Max(1, x.H / from.H))
        {
            throw s.Invalid($"[shortcut] at line {s.Line} joins a {from.W}×{from.H} layer to a {x.W}×{x.H} one, whose sides do not scale alike", s.LineOf("from"));
        }
        int c = Math.Min(from.C, x.C), h = Math.Min(from.H, x.H), w = Math.Min(from.W, x.W);
        var sliced = _graph.Node("Slice", prefix, [from.Name, _graph.Longs(prefix + "/starts", 0, 0, 0),
            _graph.Longs(prefix + "/ends", c, (long)h * stride, (long)w * stride), _graph.Longs(prefix + "/axes", 1, 2, 3),
            _graph.Longs(prefix + "/steps", 1, stride, stride)]);
        if (sample > 1)
        {
            var cells = _graph.Reshape(prefix, sliced, 1, c, h, 1, w, 1);
            var spread = _graph.Node("Pad", prefix, [cells, _graph.Longs(prefix + "/spread", 0, 0, 0, 0, 0, 0, 0, 0, 0, sample - 1, 0, sample - 1)]);
            sliced = _graph.Reshape(prefix, spread, 1, c, (long)h * sample, (long)w * sample);
        }
        return _graph.Node("Pad", prefix, [sliced, _graph.Longs(prefix + "/pads", 0, 0, 0, 0, 0, x.C - c, x.H - h * sample, x.W - w * sample)]);
    }

    private DarknetValue Upsample(DarknetSection s, string prefix, DarknetValue x)
    {
        var stride = s.Int("stride", 2);
        if (stride <= 0)
        {
            throw s.Unsupported($"with 'stride={stride}' (downsampling) is not translated", s.LineOf("stride"));
        }
        var scale = s.Float("scale", 1f);
        var scales = _graph.Floats(prefix + "/scales", [1f, 1f, stride, stride], 4);
        var y = _graph.Node("Resize", prefix, [x.Name, "", scales], OnnxAttr.String("mode", "nearest"),
            OnnxAttr.String("coordinate_transformation_mode", "asymmetric"), OnnxAttr.String("nearest_mode", "floor"));
        if (scale != 1f)
        {
            y = _graph.Node("Mul", prefix, [y, _graph.Floats(prefix + "/scale", [scale])]);
        }
        return new DarknetValue(y, x.C, x.H * stride, x.W * stride);
    }

    private DarknetValue Reorg(DarknetSection s, string prefix, DarknetValue x)
    {
        RejectFlags(s, "reverse", "flatten", "extra");
        var stride = Positive(s, "stride", s.Int("stride", 1));
        var cells = stride * stride;
        if (x.C % cells != 0 || x.H % stride != 0 || x.W % stride != 0)
        {
            throw s.Invalid($"[reorg] at line {s.Line} with stride {stride} needs channels divisible by {cells} and sides by {stride}, not {x.C}×{x.H}×{x.W}");
        }
        // libdarknet's reorg reads its input buffer as [C/s², H·s, W·s] and writes a space-to-depth of that view into a
        // buffer it then calls [C·s², H/s, W/s]; the same three steps here.
        var view = _graph.Reshape(prefix, x.Name, 1, x.C / cells, (long)x.H * stride, (long)x.W * stride);
        var moved = _graph.Node("SpaceToDepth", prefix, [view], OnnxAttr.Int("blocksize", stride));
        var y = _graph.Reshape(prefix, moved, 1, (long)x.C * cells, x.H / stride, x.W / stride);
        return new DarknetValue(y, x.C * cells, x.H / stride, x.W / stride);
    }

    private DarknetValue Yolo(DarknetSection s, string prefix, int index, DarknetValue x)
    {
        var classes = Positive(s, "classes", s.Int("classes", 20));
        var total = Positive(s, "num", s.Int("num", 1));
        var mask = s.Ints("mask") ?? Enumerable.Range(0, total).ToArray();
        if (mask.Length == 0 || mask.Any(m => m < 0 || m >= total))
        {
            throw s.Invalid($"'mask' at line {s.LineOf("mask")} must name anchors 0 to {total - 1}", s.LineOf("mask"));
        }
        var anchors = Anchors(s, total);
        var n = mask.Length;
        RequireChannels(s, x, n, classes);
        var masked = mask.SelectMany(m => new[] { anchors[2 * m], anchors[2 * m + 1] }).ToArray();
        var y = HeadActivations(prefix, x, n, classes, softmax: false);
        Heads.Add((index, "yolo", x with { Name = y }, masked, n));
        return x with { Name = y };
    }

    private DarknetValue Region(DarknetSection s, string prefix, int index, DarknetValue x)
    {
        if (s.Has("tree") || s.Has("map"))
        {
            throw s.Unsupported("with a class tree (YOLO9000's hierarchical softmax) is not translated", s.LineOf(s.Has("tree") ? "tree" : "map"));
        }
        if (s.Int("coords", 4) != 4 || s.Int("background", 0) != 0)
        {
            throw s.Unsupported("with coords other than 4 or a background class is not translated", s.LineOf("coords"));
        }
        var classes = Positive(s, "classes", s.Int("classes", 20));
        var n = Positive(s, "num", s.Int("num", 1));
        var anchors = Anchors(s, n);
        RequireChannels(s, x, n, classes);
        var y = HeadActivations(prefix, x, n, classes, softmax: s.Int("softmax", 0) != 0);
        Heads.Add((index, "region", x with { Name = y }, anchors, n));
        return x with { Name = y };
    }

    /// <summary>What libdarknet's YOLO and region layers do to their input in place: per anchor, logistic on x, y and
    /// the objectness, w and h left raw, and logistic (YOLO, region without softmax) or a softmax across the class
    /// channels of each cell (region with <c>softmax=1</c>).</summary>
    private string HeadActivations(string prefix, DarknetValue x, int n, int classes, bool softmax)
    {
        var grouped = _graph.Reshape(prefix, x.Name, 1, n, 5 + classes, x.H, x.W);
        var parts = _graph.NodeMulti("Split", prefix, [grouped, _graph.Longs(prefix + "/split", 2, 2, 1, classes)], 4, OnnxAttr.Int("axis", 2));
        var xy = _graph.Node("Sigmoid", prefix, [parts[0]]);
        var objectness = _graph.Node("Sigmoid", prefix, [parts[2]]);
        var probabilities = softmax
            ? _graph.Node("Softmax", prefix, [parts[3]], OnnxAttr.Int("axis", 2))
            : _graph.Node("Sigmoid", prefix, [parts[3]]);
        var joined = _graph.Node("Concat", prefix, [xy, parts[1], objectness, probabilities], OnnxAttr.Int("axis", 2));
        return _graph.Reshape(prefix, joined, 1, x.C, x.H, x.W);
    }

    private DarknetValue Softmax(DarknetSection s, string prefix, DarknetValue x)
    {
        if (s.Has("tree"))
        {
            throw s.Unsupported("with a class tree (hierarchical softmax) is not translated", s.LineOf("tree"));
        }
        if (s.Float("spatial", 0f) != 0f)
        {
            throw s.Unsupported("with 'spatial' set is not translated", s.LineOf("spatial"));
        }
        var groups = Positive(s, "groups", s.Int("groups", 1));
        if (x.Count % groups != 0)
        {
            throw s.Invalid($"'groups={groups}' at line {s.LineOf("groups")} does not divide the {x.Count} inputs", s.LineOf("groups"));
        }
        var temperature = s.Float("temperature", 1f);
        if (temperature <= 0f)
        {
            throw s.Invalid($"'temperature={temperature.ToString(CultureInfo.InvariantCulture)}' at line {s.LineOf("temperature")} must be positive", s.LineOf("temperature"));
        }
        var y = _graph.Reshape(prefix, x.Name, 1, groups, x.Count / groups);
        if (temperature != 1f)
        {
            y = _graph.Node("Mul", prefix, [y, _graph.Floats(prefix + "/temperature", [1f / temperature])]);
        }
        y = _graph.Node("Softmax", prefix, [y], OnnxAttr.Int("axis", 2));
        // libdarknet's softmax layer has no spatial shape: it is a flat vector to whatever follows.
        return new DarknetValue(_graph.Reshape(prefix, y, 1, x.Count, 1, 1), (int)x.Count, 1, 1);
    }

    private string Activate(DarknetSection s, string prefix, string x, string activation) => activation switch
    {
        "linear" => x,
        "leaky" => _graph.Node("LeakyRelu", prefix, [x], OnnxAttr.Float("alpha", 0.1f)),
        "relu" => _graph.Node("Relu", prefix, [x]),
        "logistic" => _graph.Node("Sigmoid", prefix, [x]),
        "tanh" => _graph.Node("Tanh", prefix, [x]),
        "elu" => _graph.Node("Elu", prefix, [x], OnnxAttr.Float("alpha", 1f)),
        "selu" => _graph.Node("Selu", prefix, [x], OnnxAttr.Float("alpha", 1.6732f), OnnxAttr.Float("gamma", 1.0507f)),
        // ramp: x·(x > 0) + 0.1·x
        "ramp" => _graph.Node("Add", prefix, [_graph.Node("Relu", prefix, [x]), _graph.Node("Mul", prefix, [x, _graph.Floats(prefix + "/tenth", [0.1f])])]),
        _ => throw s.Unsupported($"with 'activation={activation}' is not translated (linear, leaky, relu, logistic, tanh, elu, selu and ramp are)", s.LineOf("activation")),
    };

    private DarknetValue Source(DarknetSection s, int index, int reference, string key)
    {
        var target = reference < 0 ? index + reference : reference;
        if (target < 0 || target >= index)
        {
            throw s.Invalid($"'{key}' at line {s.LineOf(key)} names layer {target}, but layer {index} can only read layers 0 to {index - 1}", s.LineOf(key));
        }
        return _outputs[target];
    }

    private static float[] Anchors(DarknetSection s, int total)
    {
        var anchors = s.Floats("anchors");
        if (anchors is null)
        {
            return Enumerable.Repeat(0.5f, 2 * total).ToArray(); // libdarknet's default
        }
        if (anchors.Length < 2 * total)
        {
            throw s.Invalid($"'anchors' at line {s.LineOf("anchors")} has {anchors.Length} values, but num={total} needs {2 * total}", s.LineOf("anchors"));
        }
        return anchors[..(2 * total)];
    }

    private static void RequireChannels(DarknetSection s, DarknetValue x, int n, int classes)
    {
        if (x.C != n * (classes + 5))
        {
            throw s.Invalid($"[{s.Type}] at line {s.Line} needs {n} × ({classes} classes + 5) = {n * (classes + 5)} input channels, but the layer before gives {x.C}");
        }
    }

    private static int Positive(DarknetSection s, string key, int value) =>
        value > 0 ? value : throw s.Invalid($"'{key}={value}' at line {s.LineOf(key)} must be positive", s.LineOf(key));

    private static void RejectFlags(DarknetSection s, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (s.Int(key, 0) != 0)
            {
                throw s.Unsupported($"with '{key}' set is not translated", s.LineOf(key));
            }
        }
    }
}
