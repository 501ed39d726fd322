using ModelZoo.Import.Tflite;
using ModelZoo.Runtime;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Import;

/// <summary>
/// The TFLite importer on small models written here with the FlatBuffers library, each compared with values computed
/// in the test from TFLite's definition of the op (NHWC loops, TensorFlow SAME padding, the resize coordinate rules).
/// </summary>
public sealed class TfliteImporterTests
{
    private const float Tolerance = 1e-4f;

    private static Dictionary<string, NamedTensor> Run(TfliteModelWriter writer, params NamedTensor[] inputs)
    {
        using var temp = new TempHome();
        var path = writer.Save(temp.Path);
        var model = TfliteImporter.Import(path);
        using var session = ModelSession.Open(model.ToBytes(), new SessionSettings { DynamicBatch = false });
        return session.Run(inputs).ToDictionary(t => t.Name);
    }

    private static float[] Random(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    private static void Close(float[] expected, float[] actual, float tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1f, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>TensorFlow SAME padding before the data: half the total, the odd pixel going to the end.</summary>
    private static int SamePadBefore(int input, int kernel, int stride, int dilation = 1)
    {
        var output = (input + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
        return total / 2;
    }

    [Fact]
    public void Strided_SAME_conv_with_bias_and_fused_relu6_matches_the_NHWC_definition()
    {
        const int h = 5, w = 6, cin = 2, cout = 3, k = 3, s = 2;
        var x = Random(h * w * cin, 1, 3f);
        var filter = Random(cout * k * k * cin, 2, 2f);
        var bias = Random(cout, 3);
        var writer = new TfliteModelWriter();
        var input = writer.Input("x", 1, h, w, cin);
        var wt = writer.Floats("w", filter, cout, k, k, cin);
        var bt = writer.Floats("b", bias, cout);
        int oh = (h + s - 1) / s, ow = (w + s - 1) / s;
        var y = writer.Tensor("y", 1, oh, ow, cout);
        // Conv2DOptions: padding SAME (0), stride_w, stride_h, activation RELU6 (3).
        writer.Op("CONV_2D", [input, wt, bt], [y], (0, (byte)0), (1, s), (2, s), (3, (byte)3)).Output(y);

        var result = Run(writer, new NamedTensor("x", x, [1, h, w, cin]))["y"];

        int pt = SamePadBefore(h, k, s), pl = SamePadBefore(w, k, s);
        var expected = new float[oh * ow * cout];
        for (var oy = 0; oy < oh; oy++)
        for (var ox = 0; ox < ow; ox++)
        for (var oc = 0; oc < cout; oc++)
        {
            double sum = bias[oc];
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
            for (var ic = 0; ic < cin; ic++)
            {
                int iy = oy * s + ky - pt, ix = ox * s + kx - pl;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                {
                    sum += x[(iy * w + ix) * cin + ic] * filter[((oc * k + ky) * k + kx) * cin + ic];
                }
            }
            expected[(oy * ow + ox) * cout + oc] = (float)Math.Clamp(sum, 0, 6);
        }
        Assert.Equal([1L, oh, ow, cout], result.Shape);
        Close(expected, result.AsFloats());
        Assert.Contains(expected, v => v == 0f);
        Assert.Contains(expected, v => v == 6f);
    }

    [Fact]
    public void Depthwise_conv_with_a_multiplier_and_dilation_keeps_TFLite_channel_order()
    {
        const int h = 7, w = 6, c = 2, m = 2, k = 3, d = 2;
        var x = Random(h * w * c, 4);
        var filter = Random(k * k * c * m, 5);
        var bias = Random(c * m, 6);
        var writer = new TfliteModelWriter();
        var input = writer.Input("x", 1, h, w, c);
        var wt = writer.Floats("w", filter, 1, k, k, c * m);
        var bt = writer.Floats("b", bias, c * m);
        int oh = h - (k - 1) * d, ow = w - (k - 1) * d;
        var y = writer.Tensor("y", 1, oh, ow, c * m);
        // DepthwiseConv2DOptions: padding VALID (1), stride_w 1, stride_h 1, depth_multiplier, activation none,
        // dilation_w, dilation_h.
        writer.Op("DEPTHWISE_CONV_2D", [input, wt, bt], [y], (0, (byte)1), (1, 1), (2, 1), (3, m), (4, (byte)0), (5, d), (6, d)).Output(y);

        var result = Run(writer, new NamedTensor("x", x, [1, h, w, c]))["y"];

        var expected = new float[oh * ow * c * m];
        for (var oy = 0; oy < oh; oy++)
        for (var ox = 0; ox < ow; ox++)
        for (var ic = 0; ic < c; ic++)
        for (var j = 0; j < m; j++)
        {
            var oc = ic * m + j;
            double sum = bias[oc];
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
            {
                sum += x[((oy + ky * d) * w + ox + kx * d) * c + ic] * filter[(ky * k + kx) * c * m + oc];
            }
            expected[(oy * ow + ox) * c * m + oc] = (float)sum;
        }
        Close(expected, result.AsFloats());
    }

    [Fact]
    public void Fp16_and_per_axis_int8_constants_behind_DEQUANTIZE_are_folded_exactly()
    {
        Half[] halves = [(Half)0.1f, (Half)(-2.5f), (Half)65504f, (Half)6e-8f, (Half)1f, (Half)(-0.0f)];
        sbyte[] q = [-128, -1, 0, 1, 127, 5];
        float[] scale = [0.5f, 0.25f];
        long[] zero = [0, -3];
        var writer = new TfliteModelWriter();
        var x = writer.Input("x", 3, 2);
        var h16 = writer.Halves("h16", halves, 3, 2);
        var i8 = writer.Quantized("i8", q, scale, zero, 1, 3, 2); // per axis 1: scale and zero point per column
        var hd = writer.Tensor("hd", 3, 2);
        var id = writer.Tensor("id", 3, 2);
        var sum = writer.Tensor("sum", 3, 2);
        var prod = writer.Tensor("prod", 3, 2);
        writer.Op("DEQUANTIZE", [h16], [hd]).Op("DEQUANTIZE", [i8], [id])
            .Op("ADD", [x, hd], [sum]).Op("MUL", [x, id], [prod]).Output(sum).Output(prod);

        var result = Run(writer, new NamedTensor("x", Enumerable.Repeat(1f, 6).ToArray(), [3, 2]));

        Close(halves.Select(v => 1f + (float)v).ToArray(), result["sum"].AsFloats(), 0f);
        var dequantized = q.Select((v, i) => scale[i % 2] * (v - zero[i % 2])).ToArray();
        Assert.Equal(dequantized.Select(v => (float)v), result["prod"].AsFloats());
    }

    [Fact]
    public void A_CSR_sparse_constant_behind_DENSIFY_expands_to_its_dense_values()
    {
        // [4, 1, 1, 6] like the sparse face model's 1x1 filters: dimensions 0-2 dense, the last one CSR.
        var dense = new float[4 * 6];
        var random = new Random(11);
        for (var i = 0; i < dense.Length; i++)
        {
            dense[i] = random.Next(3) == 0 ? 0f : (float)(Half)(float)(random.NextDouble() * 4 - 2);
        }
        var segments = new List<int> { 0 };
        var indices = new List<int>();
        var stored = new List<Half>();
        for (var row = 0; row < 4; row++)
        {
            for (var col = 0; col < 6; col++)
            {
                if (dense[row * 6 + col] != 0f)
                {
                    indices.Add(col);
                    stored.Add((Half)dense[row * 6 + col]);
                }
            }
            segments.Add(indices.Count);
        }
        var sparsity = new TfliteModelWriter.Sparse([0, 1, 2, 3], [],
            [(4, null, null), (1, null, null), (1, null, null), (0, segments.ToArray(), indices.ToArray())]);
        var writer = new TfliteModelWriter();
        var x = writer.Input("x", 4, 1, 1, 6);
        var sparse = writer.SparseHalves("w_sparse", stored.ToArray(), sparsity, 4, 1, 1, 6);
        var densified = writer.Tensor("w_dense16", 4, 1, 1, 6);
        var weights = writer.Tensor("w", 4, 1, 1, 6);
        var y = writer.Tensor("y", 4, 1, 1, 6);
        writer.Op("DENSIFY", [sparse], [densified]).Op("DEQUANTIZE", [densified], [weights]).Op("ADD", [x, weights], [y]).Output(y);

        var result = Run(writer, new NamedTensor("x", new float[24], [4, 1, 1, 6]))["y"];

        Assert.Equal(dense, result.AsFloats());
        Assert.True(stored.Count < dense.Length, "the test matrix has zeros");
    }

    /// <summary>The transposed convolution by its scatter definition, cropped by TensorFlow's SAME padding.</summary>
    private static float[] TransposedConv(float[] x, int h, int w, int cin, float[] filter, int cout, int k, int s, int oh, int ow, float[]? bias)
    {
        int fullH = (h - 1) * s + k, fullW = (w - 1) * s + k;
        int top = Math.Max(fullH - oh, 0) / 2, left = Math.Max(fullW - ow, 0) / 2;
        var y = new double[oh * ow * cout];
        for (var iy = 0; iy < h; iy++)
        for (var ix = 0; ix < w; ix++)
        for (var ic = 0; ic < cin; ic++)
        for (var ky = 0; ky < k; ky++)
        for (var kx = 0; kx < k; kx++)
        for (var oc = 0; oc < cout; oc++)
        {
            int oy = iy * s + ky - top, ox = ix * s + kx - left;
            if (oy >= 0 && oy < oh && ox >= 0 && ox < ow)
            {
                y[(oy * ow + ox) * cout + oc] += x[(iy * w + ix) * cin + ic] * filter[((oc * k + ky) * k + kx) * cin + ic];
            }
        }
        return y.Select((v, i) => (float)(v + (bias?[i % cout] ?? 0))).ToArray();
    }

    [Fact]
    public void MediaPipe_Convolution2DTransposeBias_and_TRANSPOSE_CONV_match_the_scatter_definition()
    {
        const int h = 4, w = 5, cin = 3;
        var x = Random(h * w * cin, 21);
        // The selfie models' custom op: 2x2 kernel, stride 2, SAME, one output channel, bias.
        var f2 = Random(1 * 2 * 2 * cin, 22);
        var b2 = new[] { 0.25f };
        // The builtin op: 3x3 kernel, stride 2, SAME (one padding row and column, taken at the end), two channels.
        var f3 = Random(2 * 3 * 3 * cin, 23);
        var writer = new TfliteModelWriter();
        var input = writer.Input("x", 1, h, w, cin);
        var w2 = writer.Floats("w2", f2, 1, 2, 2, cin);
        var bias = writer.Floats("b2", b2, 1);
        var w3 = writer.Floats("w3", f3, 2, 3, 3, cin);
        var shape = writer.Ints("shape", [1, 2 * h, 2 * w, 2], 4);
        var custom = writer.Tensor("custom", 1, 2 * h, 2 * w, 1);
        var builtin = writer.Tensor("builtin", 1, 2 * h, 2 * w, 2);
        // TfLiteTransposeConvParams as raw int32: padding SAME (1), stride_w 2, stride_h 2.
        var options = new[] { 1, 2, 2 }.SelectMany(BitConverter.GetBytes).ToArray();
        writer.Custom("Convolution2DTransposeBias", [input, w2, bias], [custom], options)
            // TransposeConvOptions: padding SAME (0), stride_w, stride_h.
            .Op("TRANSPOSE_CONV", [shape, w3, input], [builtin], (0, (byte)0), (1, 2), (2, 2))
            .Output(custom).Output(builtin);

        var result = Run(writer, new NamedTensor("x", x, [1, h, w, cin]));

        Close(TransposedConv(x, h, w, cin, f2, 1, 2, 2, 2 * h, 2 * w, b2), result["custom"].AsFloats());
        Close(TransposedConv(x, h, w, cin, f3, 2, 3, 2, 2 * h, 2 * w, null), result["builtin"].AsFloats());
    }

    /// <summary>TFLite's bilinear resize of one channel: source coordinate per mode, lower index clamped at 0, upper at n-1.</summary>
    private static float[] Bilinear(float[] x, int h, int w, int oh, int ow, bool alignCorners, bool halfPixel)
    {
        double Source(int o, int n, int on) => alignCorners && on > 1 ? o * (n - 1.0) / (on - 1)
            : halfPixel ? (o + 0.5) * n / on - 0.5 : o * (double)n / on;
        var y = new float[oh * ow];
        for (var oy = 0; oy < oh; oy++)
        for (var ox = 0; ox < ow; ox++)
        {
            double sy = Source(oy, h, oh), sx = Source(ox, w, ow);
            int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
            double fy = sy - y0, fx = sx - x0;
            int y1 = Math.Min((int)Math.Ceiling(sy), h - 1), x1 = Math.Min((int)Math.Ceiling(sx), w - 1);
            y0 = Math.Max(y0, 0);
            x0 = Math.Max(x0, 0);
            y1 = Math.Max(y1, 0);
            x1 = Math.Max(x1, 0);
            double top = x[y0 * w + x0] + (x[y0 * w + x1] - x[y0 * w + x0]) * fx;
            double bottom = x[y1 * w + x0] + (x[y1 * w + x1] - x[y1 * w + x0]) * fx;
            y[oy * ow + ox] = (float)(top + (bottom - top) * fy);
        }
        return y;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void RESIZE_BILINEAR_follows_TFLite_coordinates(bool alignCorners, bool halfPixel)
    {
        const int h = 3, w = 4, oh = 7, ow = 9;
        var x = Random(h * w, 31, 5f);
        var writer = new TfliteModelWriter();
        var input = writer.Input("x", 1, h, w, 1);
        var size = writer.Ints("size", [oh, ow], 2);
        var y = writer.Tensor("y", 1, oh, ow, 1);
        // ResizeBilinearOptions: align_corners 2, half_pixel_centers 3.
        writer.Op("RESIZE_BILINEAR", [input, size], [y], (2, alignCorners), (3, halfPixel)).Output(y);

        var result = Run(writer, new NamedTensor("x", x, [1, h, w, 1]))["y"];

        Close(Bilinear(x, h, w, oh, ow, alignCorners, halfPixel), result.AsFloats());
    }

    [Fact]
    public void Pooling_padding_reduction_and_activation_ops_match_their_definitions()
    {
        const int h = 5, w = 5, c = 2;
        var x = Random(h * w * c, 41, 4f);
        float At(int yy, int xx, int cc) => x[(yy * w + xx) * c + cc];
        var alpha = new[] { 0.1f, -0.5f };
        var fcWeights = Random(3 * c, 42);
        var fcBias = new[] { 0.5f, -1f, 2f };
        var writer = new TfliteModelWriter();
        var input = writer.Input("x", 1, h, w, c);
        var avg = writer.Tensor("avg", 1, 3, 3, c);
        var max = writer.Tensor("max", 1, 2, 2, c);
        var mean = writer.Tensor("mean", 1, 1, 1, c);
        var pad = writer.Tensor("pad", 1, h + 3, w + 1, c);
        var concat = writer.Tensor("concat", 1, h, w, 2 * c);
        var swish = writer.Tensor("swish", 1, h, w, c);
        var prelu = writer.Tensor("prelu", 1, h, w, c);
        var sigmoid = writer.Tensor("sigmoid", 1, h, w, c);
        var flat = writer.Tensor("flat", 1, c);
        var fc = writer.Tensor("fc", 1, 3);
        var softmax = writer.Tensor("softmax", 1, 3);
        var axes = writer.Ints("axes", [1, 2], 2);
        var paddings = writer.Ints("paddings", [0, 0, 1, 2, 0, 1, 0, 0], 4, 2);
        var alphaT = writer.Floats("alpha", alpha, 1, 1, c);
        var flatShape = writer.Ints("flat_shape", [1, c], 2);
        var fcW = writer.Floats("fc_w", fcWeights, 3, c);
        var fcB = writer.Floats("fc_b", fcBias, 3);
        // Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4.
        writer.Op("AVERAGE_POOL_2D", [input], [avg], (0, (byte)0), (1, 2), (2, 2), (3, 3), (4, 3))
            .Op("MAX_POOL_2D", [input], [max], (0, (byte)1), (1, 2), (2, 2), (3, 2), (4, 2))
            .Op("MEAN", [input, axes], [mean], (0, true))
            .Op("PAD", [input, paddings], [pad])
            .Op("CONCATENATION", [input, input], [concat], (0, -1))
            .Op("HARD_SWISH", [input], [swish])
            .Op("PRELU", [input, alphaT], [prelu])
            .Op("LOGISTIC", [input], [sigmoid])
            .Op("RESHAPE", [mean, flatShape], [flat])
            // FullyConnectedOptions: activation 0 (none).
            .Op("FULLY_CONNECTED", [flat, fcW, fcB], [fc], (0, (byte)0))
            // SoftmaxOptions: beta 0.
            .Op("SOFTMAX", [fc], [softmax], (0, 2f));
        foreach (var o in new[] { avg, max, mean, pad, concat, swish, prelu, sigmoid, fc, softmax })
        {
            writer.Output(o);
        }

        var r = Run(writer, new NamedTensor("x", x, [1, h, w, c]));

        // SAME 3x3 stride 2 on 5: no padding needed ((3-1)*2+3-5 = 2, one on each side); averages count valid pixels only.
        var expectedAvg = new List<float>();
        for (var oy = 0; oy < 3; oy++)
        for (var ox = 0; ox < 3; ox++)
        for (var cc = 0; cc < c; cc++)
        {
            var values = new List<float>();
            for (var yy = oy * 2 - 1; yy <= oy * 2 + 1; yy++)
            for (var xx = ox * 2 - 1; xx <= ox * 2 + 1; xx++)
            {
                if (yy >= 0 && yy < h && xx >= 0 && xx < w)
                {
                    values.Add(At(yy, xx, cc));
                }
            }
            expectedAvg.Add(values.Average());
        }
        Close(expectedAvg.ToArray(), r["avg"].AsFloats());
        var expectedMax = new List<float>();
        for (var oy = 0; oy < 2; oy++)
        for (var ox = 0; ox < 2; ox++)
        for (var cc = 0; cc < c; cc++)
        {
            expectedMax.Add(new[] { At(2 * oy, 2 * ox, cc), At(2 * oy + 1, 2 * ox, cc), At(2 * oy, 2 * ox + 1, cc), At(2 * oy + 1, 2 * ox + 1, cc) }.Max());
        }
        Close(expectedMax.ToArray(), r["max"].AsFloats());
        var channelMeans = Enumerable.Range(0, c).Select(cc => Enumerable.Range(0, h * w).Average(i => x[i * c + cc])).Select(v => (float)v).ToArray();
        Close(channelMeans, r["mean"].AsFloats());
        var padded = r["pad"].AsFloats();
        Assert.Equal([1L, h + 3, w + 1, c], r["pad"].Shape);
        Assert.Equal(At(0, 0, 1), padded[((1 * (w + 1)) + 0) * c + 1]);
        Assert.Equal(0f, padded[0]);
        Assert.Equal(0f, padded[((h + 1) * (w + 1) + 2) * c]); // a bottom padding row
        Assert.Equal(At(2, 3, 0), r["concat"].AsFloats()[((2 * w) + 3) * 2 * c + c]);
        Close(x.Select(v => v * Math.Clamp(v + 3, 0, 6) / 6).ToArray(), r["swish"].AsFloats());
        Close(x.Select((v, i) => v >= 0 ? v : alpha[i % c] * v).ToArray(), r["prelu"].AsFloats());
        Close(x.Select(v => 1 / (1 + MathF.Exp(-v))).ToArray(), r["sigmoid"].AsFloats());
        var logits = Enumerable.Range(0, 3).Select(o => fcBias[o] + Enumerable.Range(0, c).Sum(i => fcWeights[o * c + i] * channelMeans[i])).ToArray();
        Close(logits, r["fc"].AsFloats());
        var exp = logits.Select(v => Math.Exp(2 * v)).ToArray();
        Close(exp.Select(v => (float)(v / exp.Sum())).ToArray(), r["softmax"].AsFloats());
    }

    [Fact]
    public void DEPTH_TO_SPACE_moves_channel_blocks_in_TensorFlow_order()
    {
        const int h = 2, w = 3, block = 2, c = 2;
        var x = Enumerable.Range(0, h * w * block * block * c).Select(v => (float)v).ToArray();
        var writer = new TfliteModelWriter();
        var input = writer.Input("x", 1, h, w, block * block * c);
        var y = writer.Tensor("y", 1, h * block, w * block, c);
        // DepthToSpaceOptions: block_size 0.
        writer.Op("DEPTH_TO_SPACE", [input], [y], (0, block)).Output(y);

        var result = Run(writer, new NamedTensor("x", x, [1, h, w, block * block * c]))["y"];

        var expected = new float[x.Length];
        for (var oy = 0; oy < h * block; oy++)
        for (var ox = 0; ox < w * block; ox++)
        for (var cc = 0; cc < c; cc++)
        {
            var depth = ((oy % block) * block + ox % block) * c + cc;
            expected[(oy * w * block + ox) * c + cc] = x[((oy / block) * w + ox / block) * block * block * c + depth];
        }
        Assert.Equal(expected, result.AsFloats());
    }

    [Fact]
    public void An_unsupported_op_is_reported_with_every_operator_index_and_nothing_is_imported()
    {
        var writer = new TfliteModelWriter();
        var x = writer.Input("x", 1, 2, 2, 1);
        var a = writer.Tensor("a", 1, 2, 2);
        var b = writer.Tensor("b", 1, 2, 2, 1);
        var c = writer.Tensor("c", 2, 2);
        writer.Op("RELU", [x], [b]).Op("SQUEEZE", [x], [a]).Op("LOGISTIC", [b], [b]).Op("SQUEEZE", [a], [c]).Output(c);
        using var temp = new TempHome();
        var path = writer.Save(temp.Path);

        var ex = Assert.Throws<TfliteUnsupportedOperatorsException>(() => TfliteImporter.Import(path));

        Assert.Equal("tflite-unsupported-ops", ex.Code);
        Assert.Equal(["SQUEEZE", "SQUEEZE"], ex.Operators.Select(o => o.Op));
        Assert.Contains("SQUEEZE at operator #1, #3", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void TFLite_files_are_recognised_by_extension_or_identifier()
    {
        using var temp = new TempHome();
        var bytes = new TfliteModelWriter().Build();
        var renamed = Path.Combine(temp.Path, "model.bin");
        File.WriteAllBytes(renamed, bytes);
        var other = Path.Combine(temp.Path, "other.bin");
        File.WriteAllBytes(other, new byte[16]);

        Assert.True(TfliteImporter.IsTflite(renamed));
        Assert.True(TfliteImporter.IsTflite(Path.Combine(temp.Path, "missing.tflite")));
        Assert.False(TfliteImporter.IsTflite(other));
    }
}
