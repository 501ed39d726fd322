using ModelZoo.Import.Tfjs;
using ModelZoo.Runtime;
using ModelZoo.Tests.Infrastructure;
using static ModelZoo.Tests.Import.TfjsModelWriter;

namespace ModelZoo.Tests.Import;

/// <summary>The importer on small graphs whose answers are computed here independently.</summary>
public sealed class TfjsImporterTests
{
    private static NamedTensor[] Run(string modelJson, params NamedTensor[] inputs)
    {
        var model = TfjsImporter.Import(modelJson);
        using var session = ModelSession.Open(model.ToBytes(), new SessionSettings { DynamicBatch = false });
        return session.Run(inputs).ToArray();
    }

    [Fact]
    public void Quantized_weights_are_dequantized_as_TensorFlow_js_does()
    {
        using var temp = new TempHome();
        var path = new TfjsModelWriter()
            .Placeholder("x", "DT_FLOAT", 4)
            .QuantizedUint8("w", "float32", [0, 1, 2, 255], scale: 0.5, min: -1.0, 4)
            .Float16("h", [(Half)0.1f, (Half)(-2.5f), (Half)65504f, (Half)1e-7f], 4)
            .QuantizedUint8("k", "int32", [0, 3, 5, 7], scale: 0.5, min: 0.0, 4)
            .Placeholder("i", "DT_INT32", 4)
            .Node("sum", "AddV2", ["x", "w"], Attrs(("T", T("DT_FLOAT"))))
            .Node("prod", "Mul", ["x", "h"], Attrs(("T", T("DT_FLOAT"))))
            .Node("ints", "AddV2", ["i", "k"], Attrs(("T", T("DT_INT32"))))
            .Save(temp.Path);

        var outputs = Run(path, new NamedTensor("x", new float[] { 1, 1, 1, 1 }, [4]), new NamedTensor("i", new int[4], [4]));

        Assert.Equal(["sum", "prod", "ints"], outputs.Select(o => o.Name));
        Assert.Equal(new float[] { 0f, 0.5f, 1f, 127.5f }, outputs[0].AsFloats()); // 1 + (q * 0.5 - 1)
        Assert.Equal(new[] { (float)(Half)0.1f, -2.5f, 65504f, (float)(Half)1e-7f }, outputs[1].AsFloats());
        // JavaScript's Math.round: 1.5 -> 2, 2.5 -> 3, 3.5 -> 4.
        Assert.Equal(new[] { 0, 2, 3, 4 }, (int[])outputs[2].Data);
    }

    [Fact]
    public void Strided_slices_follow_TensorFlow_masks()
    {
        using var temp = new TempHome();
        var path = new TfjsModelWriter()
            .Placeholder("x", "DT_FLOAT", 2, 3, 4)
            // x[..., 1:3]
            .Const("e_begin", [0, 1], 2).Const("e_end", [0, 3], 2).Const("e_strides", [1, 1], 2)
            .Node("ellipsis", "StridedSlice", ["x", "e_begin", "e_end", "e_strides"],
                Attrs(("ellipsis_mask", I(1)), ("begin_mask", I(0)), ("end_mask", I(0)), ("new_axis_mask", I(0)), ("shrink_axis_mask", I(0))))
            // x[1, :, -1]
            .Const("s_begin", [1, 0, -1], 3).Const("s_end", [2, 0, 0], 3).Const("s_strides", [1, 1, 1], 3)
            .Node("shrink", "StridedSlice", ["x", "s_begin", "s_end", "s_strides"],
                Attrs(("begin_mask", I(2)), ("end_mask", I(2)), ("shrink_axis_mask", I(5))))
            // x[:, None, 0, ::-2]
            .Const("n_begin", [0, 0, 0, 0], 4).Const("n_end", [0, 0, 1, 0], 4).Const("n_strides", [1, 1, 1, -2], 4)
            .Node("newaxis", "StridedSlice", ["x", "n_begin", "n_end", "n_strides"],
                Attrs(("begin_mask", I(9)), ("end_mask", I(9)), ("new_axis_mask", I(2)), ("shrink_axis_mask", I(4))))
            .Save(temp.Path);
        var x = Enumerable.Range(0, 24).Select(v => (float)v).ToArray();
        float At(int a, int b, int c) => x[a * 12 + b * 4 + c];

        var outputs = Run(path, new NamedTensor("x", x, [2, 3, 4])).ToDictionary(o => o.Name);

        Assert.Equal([2L, 3, 2], outputs["ellipsis"].Shape);
        Assert.Equal(Enumerable.Range(0, 2).SelectMany(a => Enumerable.Range(0, 3).SelectMany(b => new[] { At(a, b, 1), At(a, b, 2) })),
            outputs["ellipsis"].AsFloats());
        Assert.Equal([3L], outputs["shrink"].Shape);
        Assert.Equal(new[] { At(1, 0, 3), At(1, 1, 3), At(1, 2, 3) }, outputs["shrink"].AsFloats());
        Assert.Equal([2L, 1, 2], outputs["newaxis"].Shape);
        Assert.Equal(new[] { At(0, 0, 3), At(0, 0, 1), At(1, 0, 3), At(1, 0, 1) }, outputs["newaxis"].AsFloats());
    }

    [Fact]
    public void Strided_SAME_convolutions_pad_like_TensorFlow()
    {
        // A 6x6 input with a 3x3 kernel and stride 2 needs one padding row/column, which TensorFlow puts at the end.
        const int size = 6, channels = 2, filters = 3;
        var random = new Random(7);
        var x = Enumerable.Range(0, size * size * channels).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var w = Enumerable.Range(0, 3 * 3 * channels * filters).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = new[] { 0.1f, -0.2f, 3f };
        var dw = Enumerable.Range(0, 3 * 3 * channels).Select(_ => (float)random.NextDouble() * 4).ToArray();
        using var temp = new TempHome();
        var convAttrs = Attrs(("strides", Ints(1, 2, 2, 1)), ("padding", S("SAME")), ("data_format", S("NHWC")), ("dilations", Ints(1, 1, 1, 1)),
            ("fused_ops", Strings("BiasAdd", "Relu6")), ("num_args", I(1)), ("T", T("DT_FLOAT")));
        var path = new TfjsModelWriter()
            .Placeholder("x", "DT_FLOAT", 1, size, size, channels)
            .Const("w", w, 3, 3, channels, filters)
            .Const("b", b, filters)
            .Const("dw", dw, 3, 3, channels, 1)
            .Node("conv", "_FusedConv2D", ["x", "w", "b"], convAttrs)
            .Node("depthwise", "DepthwiseConv2dNative", ["x", "dw"],
                Attrs(("strides", Ints(1, 2, 2, 1)), ("padding", S("SAME")), ("data_format", S("NHWC")), ("dilations", Ints(1, 1, 1, 1))))
            .Save(temp.Path);

        var outputs = Run(path, new NamedTensor("x", x, [1, size, size, channels])).ToDictionary(o => o.Name);

        const int outSize = 3;
        var expectedConv = new float[outSize * outSize * filters];
        var expectedDepthwise = new float[outSize * outSize * channels];
        for (var oy = 0; oy < outSize; oy++)
        {
            for (var ox = 0; ox < outSize; ox++)
            {
                for (var f = 0; f < filters; f++)
                {
                    double sum = b[f];
                    for (var ky = 0; ky < 3; ky++)
                    {
                        for (var kx = 0; kx < 3; kx++)
                        {
                            int iy = oy * 2 + ky, ix = ox * 2 + kx; // pad top/left 0, bottom/right 1
                            if (iy >= size || ix >= size)
                            {
                                continue;
                            }
                            for (var c = 0; c < channels; c++)
                            {
                                sum += x[(iy * size + ix) * channels + c] * w[((ky * 3 + kx) * channels + c) * filters + f];
                            }
                        }
                    }
                    expectedConv[(oy * outSize + ox) * filters + f] = (float)Math.Clamp(sum, 0, 6);
                }
                for (var c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (var ky = 0; ky < 3; ky++)
                    {
                        for (var kx = 0; kx < 3; kx++)
                        {
                            int iy = oy * 2 + ky, ix = ox * 2 + kx;
                            if (iy < size && ix < size)
                            {
                                sum += x[(iy * size + ix) * channels + c] * dw[(ky * 3 + kx) * channels + c];
                            }
                        }
                    }
                    expectedDepthwise[(oy * outSize + ox) * channels + c] = (float)sum;
                }
            }
        }
        Assert.Equal([1L, outSize, outSize, filters], outputs["conv"].Shape);
        Assert.All(outputs["conv"].AsFloats().Zip(expectedConv), p => Assert.Equal(p.Second, p.First, 5));
        Assert.Equal([1L, outSize, outSize, channels], outputs["depthwise"].Shape);
        Assert.All(outputs["depthwise"].AsFloats().Zip(expectedDepthwise), p => Assert.Equal(p.Second, p.First, 5));
    }

    [Fact]
    public void Every_unsupported_node_is_reported_and_nothing_is_built()
    {
        using var temp = new TempHome();
        var path = new TfjsModelWriter()
            .Placeholder("x", "DT_FLOAT", 4)
            .Node("a", "NonMaxSuppressionV5", ["x"])
            .Node("b", "Relu", ["a"])
            .Node("c", "LoopCond", ["x"])
            .Node("d", "NonMaxSuppressionV5", ["x"])
            .Node("e", "AddN", ["b", "c", "d"])
            .Save(temp.Path);

        var error = Assert.Throws<UnsupportedOperatorsException>(() => TfjsImporter.Import(path));

        Assert.Equal("tfjs-unsupported-ops", error.Code);
        Assert.Equal(["LoopCond", "NonMaxSuppressionV5"], error.Operators.Keys);
        Assert.Equal(["a", "d"], error.Operators["NonMaxSuppressionV5"].Order());
        Assert.Equal(["c"], error.Operators["LoopCond"]);
        Assert.Contains("NonMaxSuppressionV5 [a, d]", error.Message);
    }

    [Fact]
    public void A_missing_weight_shard_names_the_file()
    {
        using var temp = new TempHome();
        var path = new TfjsModelWriter().Placeholder("x", "DT_FLOAT", 1).Const("w", [1f], 1)
            .Node("y", "AddV2", ["x", "w"]).Save(temp.Path);
        File.Delete(Path.Combine(temp.Path, "weights.bin"));

        var error = Assert.Throws<TfjsModelException>(() => TfjsImporter.Import(path));

        Assert.Equal("tfjs-invalid-model", error.Code);
        Assert.Contains("weights.bin", error.Message);
    }

    [Fact]
    public void Signature_keys_name_the_outputs_and_the_report_counts_ops()
    {
        using var temp = new TempHome();
        var path = new TfjsModelWriter()
            .Placeholder("x", "DT_FLOAT", -1, 3)
            .Node("y", "Relu6", ["x"])
            .Node("Identity", "Identity", ["y"])
            .Save(temp.Path, ("scores", "Identity:0"));

        var result = TfjsImporter.ImportWithReport(path);

        Assert.Equal("scores", Assert.Single(result.Model.Outputs).Name);
        Assert.Equal("batch", result.Model.Inputs[0].Shape[0].Symbol);
        Assert.Equal(1, result.TfOperatorCounts["Relu6"]);
        Assert.Equal(1, result.OnnxOperatorCounts["Clip"]);
        Assert.Equal(TfjsImporter.ImporterVersion, result.Model.Metadata["modelzoo.importer"]);
        using var session = ModelSession.Open(result.Model.ToBytes());
        var y = session.Run("x", [-1f, 3f, 9f, 0.5f, 7f, -0f], [2, 3])[0].AsFloats();
        Assert.Equal(new[] { 0f, 3f, 6f, 0.5f, 6f, 0f }, y);
    }
}
