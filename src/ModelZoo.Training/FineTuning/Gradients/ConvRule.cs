using ModelZoo.Onnx.Proto;
using static ModelZoo.Training.FineTuning.Gradients.GraphEmitter;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>
/// Gradients of the windowed ops. Conv: the input gradient is a ConvTranspose of the output gradient with the same
/// weight, pads, strides, dilations and group (output_padding restores the exact input size); the weight gradient is
/// one GEMM of the output gradient with the im2col columns of the input (group = 1), or, for depthwise convolutions
/// (group = channels), a grouped convolution of the input with the output gradient, both with batch and channel axes
/// swapped, where the forward stride becomes the dilation and the forward dilation the stride. AveragePool: a depthwise ConvTranspose with
/// a constant 1/window kernel.
/// </summary>
internal static class ConvRule
{
    public static string?[] Gradient(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var x = node.Input[0];
        var w = node.Input[1];
        var xShape = e.ShapeOf(x);
        var wShape = e.ShapeOf(w);
        var yShape = e.ShapeOf(node.Output[0]);
        var spatial = xShape.Length - 2;
        if (spatial < 1)
        {
            throw GradientRules.Unsupported(node, "its input has no spatial axes");
        }

        var group = IntAttribute(node, "group", 1);
        var kernel = wShape[2..];
        var window = Window.Of(node, xShape[2..], yShape[2..], kernel);
        var result = new string?[node.Input.Count];
        if (needed[0])
        {
            result[0] = e.Emit("ConvTranspose", [dy, w],
                Ints("strides", window.Strides), Ints("dilations", window.Dilations), Ints("pads", window.Pads),
                Ints("kernel_shape", kernel), Int("group", group), Ints("output_padding", window.OutputPadding(node)));
        }

        if (needed[1])
        {
            result[1] = WeightGradient(node, x, dy, xShape, wShape, group, window, e);
        }

        if (node.Input.Count > 2 && node.Input[2].Length > 0 && needed[2])
        {
            var axes = Enumerable.Range(0, xShape.Length).Where(i => i != 1).Select(i => (long)i).ToArray();
            result[2] = e.Emit("ReduceSum", [dy, e.Longs(axes)], Int("keepdims", 0));
        }

        return result;
    }

    public static string?[] AveragePool(NodeProto node, string dy, bool[] needed, GraphEmitter e)
    {
        var xShape = e.ShapeOf(node.Input[0]);
        var yShape = e.ShapeOf(node.Output[0]);
        var kernel = IntsAttribute(node, "kernel_shape") ?? throw GradientRules.Unsupported(node, "it has no kernel_shape");
        var window = Window.Of(node, xShape[2..], yShape[2..], kernel);
        if (window.Pads.Any(p => p != 0) && IntAttribute(node, "count_include_pad", 0) == 0)
        {
            throw GradientRules.Unsupported(node, "padding that is left out of the average (count_include_pad = 0) is not supported");
        }

        var channels = xShape[1];
        var size = kernel.Aggregate(1L, (n, k) => n * k);
        var weights = new float[channels * size];
        Array.Fill(weights, 1f / size);
        var result = new string?[node.Input.Count];
        result[0] = e.Emit("ConvTranspose", [dy, e.Floats(weights, [channels, 1, .. kernel])],
            Ints("strides", window.Strides), Ints("pads", window.Pads), Ints("kernel_shape", kernel), Int("group", channels),
            Ints("output_padding", window.OutputPadding(node)));
        return result;
    }

    private static string WeightGradient(NodeProto node, string x, string dy, long[] xShape, long[] wShape, long group, Window window, GraphEmitter e)
    {
        if (group == 1)
        {
            return Im2ColWeightGradient(x, dy, xShape, wShape, window, e);
        }

        var rank = xShape.Length;
        long[] swap = [1, 0, .. Enumerable.Range(2, rank - 2).Select(i => (long)i)];
        var xT = e.Emit("Transpose", [x], Ints("perm", swap));
        var dyT = e.Emit("Transpose", [dy], Ints("perm", swap));
        var inputChannels = xShape[1];
        string convolved;
        if (group == inputChannels && wShape[1] == 1)
        {
            // Depthwise: image c's N channels (one per batch item) form group c of one grouped convolution.
            long[] folded = [1, -1, .. Enumerable.Repeat(0L, rank - 2)];
            var xFolded = e.Emit("Reshape", [xT, e.Longs(folded)]);
            convolved = e.Emit("Conv", [xFolded, dyT], Ints("strides", window.Dilations), Ints("dilations", window.Strides),
                Ints("pads", window.Pads), Int("group", group));
        }
        else
        {
            throw GradientRules.Unsupported(node, $"grouped convolution with group = {group} (only 1 or depthwise) is not supported");
        }

        // The result may be longer than the kernel where the input has rows that no output reads: keep the first k.
        var kernel = wShape[2..];
        var full = window.WeightGradientExtent;
        if (!full.SequenceEqual(kernel))
        {
            var axes = Enumerable.Range(2, rank - 2).Select(i => (long)i).ToArray();
            convolved = e.Emit("Slice", [convolved, e.Longs(new long[rank - 2]), e.Longs(kernel), e.Longs(axes)]);
        }

        return e.Emit("Reshape", [convolved, e.Longs(wShape)]);
    }

    /// <summary>
    /// Group-1 weight gradient as one matrix product: the kernel-offset slices of the padded input are stacked into
    /// columns <c>[k·Ci, N·P]</c> (P = output positions), and <c>dW = dY[Co, N·P] · colsᵀ</c>, reordered to
    /// <c>[Co, Ci, k…]</c>. One large GEMM runs far faster in ONNX Runtime than a convolution whose batch is the
    /// channel count and whose kernel is the whole output map.
    /// </summary>
    private static string Im2ColWeightGradient(string x, string dy, long[] xShape, long[] wShape, Window window, GraphEmitter e)
    {
        var rank = xShape.Length;
        var spatial = rank - 2;
        var inputChannels = xShape[1];
        var outputChannels = wShape[0];
        var kernel = wShape[2..];
        var positions = window.Output.Aggregate(1L, (n, d) => n * d);
        var offsets = kernel.Aggregate(1L, (n, d) => n * d);
        var padded = x;
        if (window.Pads.Any(p => p != 0))
        {
            long[] pads = [0, 0, .. window.Begin, 0, 0, .. window.End];
            padded = e.Emit("Pad", [x, e.Longs(pads)]);
        }

        var axes = e.Longs(Enumerable.Range(2, spatial).Select(i => (long)i).ToArray());
        var steps = e.Longs(window.Strides);
        var slices = new List<string>();
        var index = new long[spatial];
        for (var k = 0; k < offsets; k++)
        {
            var rest = k;
            for (var a = spatial - 1; a >= 0; a--)
            {
                index[a] = rest % kernel[a];
                rest = (int)(rest / kernel[a]);
            }

            var starts = index.Select((v, a) => v * window.Dilations[a]).ToArray();
            var ends = starts.Select((v, a) => v + ((window.Output[a] - 1) * window.Strides[a]) + 1).ToArray();
            slices.Add(e.Emit("Slice", [padded, e.Longs(starts), e.Longs(ends), axes, steps]));
        }

        // [N, k·Ci, out…] → [k·Ci, N·P]
        var stacked = slices.Count == 1 ? slices[0] : e.Emit("Concat", slices, Int("axis", 1));
        var flat = e.Emit("Reshape", [stacked, e.Longs(0, offsets * inputChannels, positions)]);
        var columns = e.Emit("Reshape", [e.Emit("Transpose", [flat], Ints("perm", [1, 0, 2])), e.Longs(offsets * inputChannels, -1)]);
        var gradient = e.Emit("Reshape", [dy, e.Longs(0, outputChannels, positions)]);
        var rows = e.Emit("Reshape", [e.Emit("Transpose", [gradient], Ints("perm", [1, 0, 2])), e.Longs(outputChannels, -1)]);
        var product = e.Emit("Gemm", [rows, columns], Int("transB", 1));
        var split = e.Emit("Reshape", [product, e.Longs(outputChannels, offsets, inputChannels)]);
        var ordered = e.Emit("Transpose", [split], Ints("perm", [0, 2, 1]));
        return e.Emit("Reshape", [ordered, e.Longs(wShape)]);
    }

    /// <summary>Resolved window geometry of one Conv / pooling node.</summary>
    private sealed record Window(long[] Input, long[] Output, long[] Kernel, long[] Strides, long[] Dilations, long[] Begin, long[] End)
    {
        public long[] Pads => [.. Begin, .. End];

        /// <summary>Kernel extent of the weight-gradient convolution before it is cut to the kernel.</summary>
        public long[] WeightGradientExtent => Enumerable.Range(0, Input.Length)
            .Select(i => ((Input[i] + Begin[i] + End[i] - ((Output[i] - 1) * Strides[i]) - 1) / Dilations[i]) + 1).ToArray();

        public long[] OutputPadding(NodeProto node)
        {
            var padding = new long[Input.Length];
            for (var i = 0; i < Input.Length; i++)
            {
                padding[i] = Input[i] - (Strides[i] * (Output[i] - 1)) - ((Kernel[i] - 1) * Dilations[i]) - 1 + Begin[i] + End[i];
                if (padding[i] < 0 || padding[i] >= Math.Max(Strides[i], Dilations[i]))
                {
                    throw GradientRules.Unsupported(node, "its output size does not follow from its input size (ceil_mode?)");
                }
            }

            return padding;
        }

        public static Window Of(NodeProto node, long[] input, long[] output, long[] kernel)
        {
            var n = input.Length;
            var strides = IntsAttribute(node, "strides") ?? Enumerable.Repeat(1L, n).ToArray();
            var dilations = IntsAttribute(node, "dilations") ?? Enumerable.Repeat(1L, n).ToArray();
            var begin = new long[n];
            var end = new long[n];
            var autoPad = StringAttribute(node, "auto_pad", "NOTSET");
            if (autoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                for (var i = 0; i < n; i++)
                {
                    var total = Math.Max(0, ((output[i] - 1) * strides[i]) + ((kernel[i] - 1) * dilations[i]) + 1 - input[i]);
                    begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2);
                    end[i] = total - begin[i];
                }
            }
            else if (autoPad is "NOTSET" or "" && IntsAttribute(node, "pads") is { } pads)
            {
                begin = pads[..n];
                end = pads[n..];
            }
            else if (autoPad is not ("NOTSET" or "" or "VALID"))
            {
                throw GradientRules.Unsupported(node, $"auto_pad = {autoPad} is not supported");
            }

            return new Window(input, output, kernel, strides, dilations, begin, end);
        }
    }
}
