using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using static ModelZoo.Tests.Onnx.TestGraphs;

namespace ModelZoo.Tests.Onnx;

public sealed class HeadlessCutterTests
{
    private static readonly string[] Photos = ["darknet/dog.jpg", "skimage/chelsea.png", "skimage/coffee.png"];

    /// <summary>Conv(3→4, 3×3, pad 1) → GlobalAveragePool → Flatten → Gemm(4→5, transB) → Softmax, batch 1 fixed, no value_info.</summary>
    private static OnnxModel SmallClassifier()
    {
        var rng = new Random(7);
        var graph = new GraphProto { Name = "small_classifier" };
        graph.Input.Add(TensorValue("image", Float, 1L, 3L, 8L, 8L));
        graph.Output.Add(TensorValue("probs", Float, 1L, 5L));
        graph.Initializer.Add(FloatTensor("conv_w", RandomFloats(rng, 4 * 3 * 3 * 3), 4, 3, 3, 3));
        graph.Initializer.Add(FloatTensor("conv_b", RandomFloats(rng, 4), 4));
        graph.Initializer.Add(FloatTensor("fc_w", RandomFloats(rng, 5 * 4), 5, 4));
        graph.Initializer.Add(FloatTensor("fc_b", RandomFloats(rng, 5), 5));
        var conv = Node("Conv", ["image", "conv_w", "conv_b"], ["conv_out"], "conv");
        conv.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } });
        graph.Node.Add(conv);
        graph.Node.Add(Node("Relu", ["conv_out"], ["relu_out"], "relu"));
        graph.Node.Add(Node("GlobalAveragePool", ["relu_out"], ["pooled"], "pool"));
        graph.Node.Add(Node("Flatten", ["pooled"], ["flat"], "flatten"));
        var gemm = Node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], "fc");
        gemm.Attribute.Add(new AttributeProto { Name = "transB", I = 1, Type = AttributeProto.Types.AttributeType.Int });
        graph.Node.Add(gemm);
        graph.Node.Add(Node("Softmax", ["logits"], ["probs"], "softmax"));
        return Model(graph, opset: 13);
    }

    /// <summary>A copy of <paramref name="model"/> that also returns <paramref name="tensor"/> of the given element type.</summary>
    private static OnnxModel WithExtraOutput(OnnxModel model, string tensor, int elementType)
    {
        var proto = model.Proto.Clone();
        proto.Graph.Output.Add(new ValueInfoProto
        {
            Name = tensor,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType } },
        });
        return OnnxModel.FromProto(proto);
    }

    private static float[] Run(OnnxModel model, float[] input, long[] shape, string output)
    {
        using var session = ModelSession.Open(OnnxModel.Parse(model.ToBytes()));
        return session.Run(session.Inputs[0].Name, input, shape, [output])[0].AsFloats();
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= tolerance, $"{what}: max abs difference {worst} > {tolerance}");
    }

    private static float[] PhotoBatch(InputSpec spec, IReadOnlyList<string> photos)
    {
        var length = ImagePreprocessor.TensorLength(spec);
        var batch = new float[photos.Count * length];
        for (var i = 0; i < photos.Count; i++)
        {
            using var image = ImageDecoder.Decode(TestAssets.Image(photos[i]));
            ImagePreprocessor.WriteTensor(image, spec, batch.AsSpan(i * length, length));
        }
        return batch;
    }

    private static float ScalarFloat(OnnxModel model, string name)
    {
        var tensor = model.Proto.Graph.Initializer.Single(t => t.Name == name);
        return tensor.FloatData.Count > 0 ? tensor.FloatData[0] : BitConverter.ToSingle(tensor.RawData.Span);
    }

    private static byte ScalarByte(OnnxModel model, string name)
    {
        var tensor = model.Proto.Graph.Initializer.Single(t => t.Name == name);
        return tensor.Int32Data.Count > 0 ? (byte)tensor.Int32Data[0] : tensor.RawData.Span[0];
    }

    [Fact]
    public void Small_classifier_is_cut_after_global_pooling_and_gives_the_pooled_values()
    {
        var model = SmallClassifier();
        Assert.Equal("pooled", HeadlessCutter.FindFeatureTensor(model));

        var headless = HeadlessCutter.Cut(model);

        Assert.Equal("pooled", headless.FeatureTensor);
        Assert.Equal(4, headless.FeatureSize);
        Assert.Equal("features", headless.OutputName);
        var output = Assert.Single(headless.Model.Outputs);
        Assert.Equal("features", output.Name);
        Assert.Equal("float", output.ElementType);
        Assert.False(output.Shape[0].IsFixed);
        Assert.Equal(4, output.Shape[1].Value);
        Assert.False(headless.Model.Inputs[0].Shape[0].IsFixed);
        Assert.DoesNotContain("Gemm", headless.Model.OperatorCounts.Keys);
        Assert.DoesNotContain("Softmax", headless.Model.OperatorCounts.Keys);
        var initializers = headless.Model.Proto.Graph.Initializer.Select(t => t.Name).ToList();
        Assert.DoesNotContain("fc_w", initializers);
        Assert.DoesNotContain("fc_b", initializers);
        Assert.Equal(2, model.Proto.Graph.Initializer.Count - initializers.Count);
        Assert.Equal("probs", Assert.Single(model.Outputs).Name); // the original is untouched

        // Batch of 3 through the headless model against the original's pooled tensor, one image at a time.
        var input = RandomFloats(new Random(1), 3 * 3 * 8 * 8);
        var features = Run(headless.Model, input, [3, 3, 8, 8], "features");
        var probe = WithExtraOutput(model, "pooled", Float);
        for (var i = 0; i < 3; i++)
        {
            var one = input.AsSpan(i * 192, 192).ToArray();
            var pooled = Run(probe, one, [1, 3, 8, 8], "pooled");
            AssertClose(pooled, features.AsSpan(i * 4, 4).ToArray(), 1e-6f, $"image {i}");
        }
    }

    [Fact]
    public void At_override_cuts_at_the_named_tensor_and_sizes_it_from_its_recorded_shape()
    {
        var model = SmallClassifier();
        model.Proto.Graph.ValueInfo.Add(TensorValue("conv_out", Float, 1L, 4L, 8L, 8L));

        var headless = HeadlessCutter.Cut(model, at: "conv_out");

        Assert.Equal("conv_out", headless.FeatureTensor);
        Assert.Equal(4 * 8 * 8, headless.FeatureSize);
        Assert.Equal(["Conv", "Flatten"], headless.Model.OperatorCounts.Keys);
        var input = RandomFloats(new Random(2), 2 * 3 * 8 * 8);
        var features = Run(headless.Model, input, [2, 3, 8, 8], "features");
        Assert.Equal(2 * 256, features.Length);
    }

    [Fact]
    public void At_a_tensor_that_feeds_the_linear_layer_takes_its_size_from_the_weight()
    {
        var headless = HeadlessCutter.Cut(SmallClassifier(), at: "flat");
        Assert.Equal(4, headless.FeatureSize);
        Assert.Equal("flat", headless.FeatureTensor);
    }

    [Fact]
    public void Unknown_at_tensor_is_an_error_listing_candidates()
    {
        var ex = Assert.Throws<ZooException>(() => HeadlessCutter.Cut(SmallClassifier(), at: "nope"));
        Assert.Equal("headless-tensor-missing", ex.Code);
        Assert.Contains("'pooled'", ex.Message);
        Assert.Contains("(HeadlessCutter.Cut at)", ex.Message);
        var initializer = Assert.Throws<ZooException>(() => HeadlessCutter.Cut(SmallClassifier(), at: "fc_w"));
        Assert.Equal("headless-tensor-missing", initializer.Code);
    }

    [Fact]
    public void A_graph_without_head_or_pooling_fails_with_candidates_and_the_at_hint()
    {
        // FixedBatchConvNet ends in Reshape → Flatten of a Gemm output reshaped to [1,5,1,1]: no pooling, no final linear layer.
        var model = FixedBatchConvNet();
        var ex = Assert.Throws<ZooException>(() => HeadlessCutter.FindFeatureTensor(model));
        Assert.Equal("headless-no-features", ex.Code);
        Assert.Contains("'R'", ex.Message); // the Gemm input is offered
        Assert.Contains("(HeadlessCutter.Cut at)", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal("headless-no-features", Assert.Throws<ZooException>(() => HeadlessCutter.Cut(model)).Code);
    }

    [Fact]
    public void An_existing_tensor_named_features_is_renamed_rather_than_clashing()
    {
        var model = SmallClassifier();
        foreach (var node in model.Proto.Graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++) if (node.Input[i] == "relu_out") node.Input[i] = "features";
            for (var i = 0; i < node.Output.Count; i++) if (node.Output[i] == "relu_out") node.Output[i] = "features";
        }
        var headless = HeadlessCutter.Cut(model);
        Assert.Equal(4, headless.FeatureSize);
        var features = Run(headless.Model, RandomFloats(new Random(3), 192), [1, 3, 8, 8], "features");
        Assert.Equal(4, features.Length);
    }

    [Fact]
    public void MobileNet_int8_is_cut_at_the_pooled_1280_features_which_match_the_original_graph()
    {
        var original = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        Assert.Equal("464_quantized", HeadlessCutter.FindFeatureTensor(original));

        var headless = HeadlessCutter.Cut(original);

        Assert.Equal("464_quantized", headless.FeatureTensor);
        Assert.Equal(1280, headless.FeatureSize);
        // The removed classifier: a QLinearMatMul whose weight has 1280 inputs (rows) and 1000 outputs.
        var weight = original.Proto.Graph.Initializer.Single(t => t.Name == "classifier.1.weight_quantized");
        Assert.Equal([1280L, 1000L], weight.Dims);
        Assert.DoesNotContain(headless.Model.Proto.Graph.Initializer, t => t.Name.StartsWith("classifier.", StringComparison.Ordinal));
        Assert.DoesNotContain("QLinearMatMul", headless.Model.OperatorCounts.Keys);
        Assert.True(headless.Model.ParameterCount < original.ParameterCount - 1_280_000);
        var output = Assert.Single(headless.Model.Outputs);
        Assert.Equal("features: float[batch_size,1280]", output.ToString());

        // The same three photos through the original (with the pooled tensor as an extra output) and the cut.
        var spec = ModelCatalog.LoadBuiltin().Get(MobileNetStore.Handle).Input!;
        var batch = PhotoBatch(spec, Photos);
        long[] shape = [Photos.Length, 3, spec.Height, spec.Width];
        var features = Run(headless.Model, batch, shape, "features");
        using var probe = ModelSession.Open(WithExtraOutput(original, "464_quantized", (int)TensorProto.Types.DataType.Uint8));
        var results = probe.Run("input", batch, shape, ["464_quantized", "output"]);
        var quantized = (byte[])results[0].Data;
        Assert.Equal([(long)Photos.Length, 1280, 1, 1], results[0].Shape);
        var scale = ScalarFloat(original, "464_scale");
        var zeroPoint = ScalarByte(original, "464_zero_point");
        var expected = quantized.Select(q => (q - zeroPoint) * scale).ToArray();
        AssertClose(expected, features, 1e-5f, "features vs the original's pooled tensor");
        Assert.True(features.Distinct().Count() > 100, "features should not be constant");

        // The removed layer applied to the features in float reproduces the classifier's top-1 class.
        var logits = results[1].AsFloats();
        var w = Dequantize(original, "classifier.1.weight_quantized", "classifier.1.weight_scale", "classifier.1.weight_zero_point", 1000);
        var b = Dequantize(original, "classifier.1.bias_quantized", "classifier.1.bias_scale", "classifier.1.bias_zero_point", 1);
        for (var n = 0; n < Photos.Length; n++)
        {
            var mine = new float[1000];
            for (var o = 0; o < 1000; o++)
            {
                double sum = b[o];
                for (var k = 0; k < 1280; k++)
                {
                    sum += features[n * 1280 + k] * w[k * 1000 + o];
                }
                mine[o] = (float)sum;
            }
            var theirs = logits.AsSpan(n * 1000, 1000).ToArray();
            Assert.Equal(Array.IndexOf(theirs, theirs.Max()), Array.IndexOf(mine, mine.Max()));
        }
    }

    /// <summary>Dequantizes an int8/uint8 initializer with a per-tensor or per-column (last axis) scale and zero point.</summary>
    private static float[] Dequantize(OnnxModel model, string data, string scale, string zeroPoint, int columns)
    {
        var graph = model.Proto.Graph;
        var q = graph.Initializer.Single(t => t.Name == data);
        var s = graph.Initializer.Single(t => t.Name == scale);
        var z = graph.Initializer.Single(t => t.Name == zeroPoint);
        float[] scales = s.FloatData.Count > 0 ? s.FloatData.ToArray() : Floats(s.RawData.Span);
        int[] zeros = Integers(z);
        int[] values = Integers(q);
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var column = scales.Length == 1 ? 0 : i % columns;
            result[i] = (values[i] - zeros[zeros.Length == 1 ? 0 : column]) * scales[column];
        }
        return result;
    }

    private static float[] Floats(ReadOnlySpan<byte> raw)
    {
        var result = new float[raw.Length / 4];
        for (var i = 0; i < result.Length; i++) result[i] = BitConverter.ToSingle(raw.Slice(i * 4, 4));
        return result;
    }

    private static int[] Integers(TensorProto tensor)
    {
        if (!tensor.HasRawData)
        {
            return tensor.Int32Data.ToArray();
        }
        var raw = tensor.RawData.ToByteArray();
        return tensor.DataType switch
        {
            (int)TensorProto.Types.DataType.Uint8 => raw.Select(b => (int)b).ToArray(),
            (int)TensorProto.Types.DataType.Int8 => raw.Select(b => (int)(sbyte)b).ToArray(),
            (int)TensorProto.Types.DataType.Int32 => Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToInt32(raw, i * 4)).ToArray(),
            _ => throw new InvalidOperationException($"unexpected data type {tensor.DataType}"),
        };
    }

    [Fact]
    public async Task ResNet18_feature_extractor_is_flattened_to_512_features_equal_to_its_pooled_output()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var model = await store.OpenAsync(ModelCatalog.Load(settings).Get("imagenet/resnet18/feature_vector"));
        var original = OnnxModel.Load(model.ModelPath);
        Assert.Equal("Pooling395_Output_0", HeadlessCutter.FindFeatureTensor(original));

        var headless = HeadlessCutter.Cut(original);

        Assert.Equal("Pooling395_Output_0", headless.FeatureTensor);
        Assert.Equal(512, headless.FeatureSize);
        Assert.Equal("features: float[batch,512]", Assert.Single(headless.Model.Outputs).ToString());
        Assert.Equal(original.ParameterCount, headless.Model.ParameterCount);
        Assert.Equal(8, headless.Model.Opsets[""]);

        var input = RandomFloats(new Random(4), 2 * 3 * 224 * 224).Select(v => v * 100f).ToArray();
        var features = Run(headless.Model, input, [2, 3, 224, 224], "features");
        var pooled = Run(original, input, [2, 3, 224, 224], "Pooling395_Output_0");
        AssertClose(pooled, features, 1e-5f, "features vs Pooling395_Output_0");
    }
}
