using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Quantization;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Quantization;

public sealed class StaticQuantizerTests
{
    private const string Handle = "imagenet/resnet18/feature_vector";

    [Fact]
    public async Task ResNet18_int8_has_qdq_nodes_and_int8_weights_and_follows_fp32_on_held_out_photos()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get(Handle);
        var local = await store.OpenAsync(card);
        var model = OnnxModel.Load(local.ModelPath);
        var preprocess = OnnxModel.Load(local.PathOf(card.Input!.PreprocessGraph!));
        using var calibrationDir = new TempHome();
        var files = Directory.GetFiles(QuantizationImages.CreateCalibrationFolder(calibrationDir.Path)).Order(StringComparer.Ordinal).ToList();
        var calibration = QuantizationImages.Decode(files);

        var result = StaticQuantizer.Quantize(model, preprocess, card, calibration);

        var ops = result.Model.OperatorCounts;
        Assert.True(ops.GetValueOrDefault("QuantizeLinear") >= 20, $"QuantizeLinear nodes: {ops.GetValueOrDefault("QuantizeLinear")}");
        Assert.True(ops.GetValueOrDefault("DequantizeLinear") >= 40, $"DequantizeLinear nodes: {ops.GetValueOrDefault("DequantizeLinear")}");
        Assert.False(ops.ContainsKey("BatchNormalization"), "BatchNormalization should be folded into the Conv weights");
        Assert.Equal(13, result.Model.Opsets[""]);
        var graph = result.Model.Proto.Graph;
        var int8Weights = graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 4);
        Assert.True(int8Weights >= 20, $"int8 Conv weight tensors: {int8Weights}");
        Assert.DoesNotContain(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 4);
        Assert.Equal(result.QuantizedWeights, int8Weights);
        Assert.True(result.Model.ToBytes().Length < new FileInfo(local.ModelPath).Length / 3, "int8 weights should make the file under a third of the float one");
        Assert.Equal("cosine", result.Agreement.Metric);
        Assert.True(result.Agreement.Passes, $"calibration-set agreement {result.Agreement.Value}");

        // Held out: real photos the calibration never saw, float and int8 pipelines each with their preprocessing graph.
        var heldOut = QuantizationImages.Decode(QuantizationImages.HeldOutPhotos.Select(TestAssets.Image));
        var reference = GraphComposer.Prepend(preprocess, model, card.Input.Name);
        var candidate = GraphComposer.Prepend(result.Preprocess!, result.Model, card.Input.Name);
        var agreement = StaticQuantizer.MeasureAgreement(reference, candidate, card, heldOut);
        Assert.Equal(QuantizationImages.HeldOutPhotos.Length, agreement.Images);
        Assert.True(agreement.Value >= 0.98, $"held-out mean cosine {agreement.Value:F4} (min {agreement.Minimum:F4})");
        Assert.True(agreement.Minimum >= 0.95, $"held-out min cosine {agreement.Minimum:F4}");

        // The per-node comparison names nodes of the graph, and the pooled output it ends in follows fp32 as the
        // held-out cosine says.
        var nodes = StaticQuantizer.CompareNodes(model, result, card, heldOut);
        var names = model.Proto.Graph.Node.Select(OpsetUpgrader.NodeName).ToHashSet(StringComparer.Ordinal);
        Assert.True(nodes.Count >= 20, $"compared nodes: {nodes.Count}");
        Assert.All(nodes, d => Assert.Contains(d.Node, names));
        Assert.True(nodes.Zip(nodes.Skip(1)).All(p => p.First.AddedError >= p.Second.AddedError), "nodes are ordered by added error");
        var pooled = nodes.Single(d => d.Tensor == model.Outputs[0].Name);
        Assert.True(pooled.Cosine >= 0.98 && pooled.RelativeError < 0.2, $"pooled output: cosine {pooled.Cosine:F4}, relative error {pooled.RelativeError:F4}");
        Assert.Contains($"'{nodes[0].Node}'", result.DescribeWorstNodes() ?? $"'{nodes[0].Node}'");

        // ONNX Runtime loads the int8 model on its own, and it gives 512-d features.
        using var session = ModelSession.Open(result.Model.ToBytes());
        Assert.Equal("float", session.Outputs[0].ElementType);
    }

    [Fact]
    public void A_graph_with_an_operator_of_another_domain_is_refused_naming_the_node()
    {
        var model = TinyConvModel(opset: 13);
        model.Graph.Node.Add(new NodeProto { OpType = "FusedGemm", Domain = "com.microsoft", Name = "custom_head", Input = { "y" }, Output = { "z" } });
        model.Graph.Output[0].Name = "z";
        var ex = Assert.Throws<QuantizationRefusedException>(() =>
            StaticQuantizer.Quantize(OnnxModel.FromProto(model), null, TinyCard(), [Gray()]));
        Assert.Equal("quantize-unsupported-op", ex.Code);
        Assert.Contains("custom_head", ex.Message);
    }

    [Fact]
    public void An_old_opset_graph_with_an_op_whose_meaning_changed_is_refused_naming_the_node()
    {
        var model = TinyConvModel(opset: 8);
        model.Graph.Node.Add(new NodeProto { OpType = "Upsample", Name = "up1", Input = { "y" }, Output = { "z" } });
        model.Graph.Output[0].Name = "z";
        var ex = Assert.Throws<QuantizationRefusedException>(() =>
            StaticQuantizer.Quantize(OnnxModel.FromProto(model), null, TinyCard(), [Gray()]));
        Assert.Contains("up1", ex.Message);
        Assert.Contains("Upsample", ex.Message);
    }

    [Fact]
    public void An_old_opset_softmax_over_a_non_last_axis_is_refused_because_opset_13_changed_its_meaning()
    {
        var model = TinyConvModel(opset: 8);
        model.Graph.Node.Add(new NodeProto
        {
            OpType = "Softmax", Name = "channel_softmax", Input = { "y" }, Output = { "z" },
            Attribute = { new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
        });
        model.Graph.Output[0].Name = "z";
        var ex = Assert.Throws<QuantizationRefusedException>(() =>
            StaticQuantizer.Quantize(OnnxModel.FromProto(model), null, TinyCard(), [Gray()]));
        Assert.Contains("channel_softmax", ex.Message);
        Assert.Contains("axis 1 of a rank-4 input", ex.Message);
    }

    [Fact]
    public void A_real_already_quantized_model_is_refused_naming_one_of_its_nodes_and_its_operator()
    {
        // The ONNX Model Zoo's MobileNet v2 int8: a real graph of QuantizeLinear/QLinearConv nodes.
        var model = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        var card = TinyCard() with
        {
            Task = ModelTask.ImageClassification,
            Input = new InputSpec { Name = model.Inputs[0].Name, Width = 224, Height = 224, Layout = TensorLayout.Nchw },
        };
        var ex = Assert.Throws<QuantizationRefusedException>(() => StaticQuantizer.Quantize(model, null, card, [Gray()]));

        Assert.Equal("quantize-already-quantized", ex.Code);
        var named = System.Text.RegularExpressions.Regex.Match(ex.Message, "node '([^']+)' \\(([A-Za-z]+)\\)");
        Assert.True(named.Success, ex.Message);
        var node = model.Proto.Graph.Node.FirstOrDefault(n => OpsetUpgrader.NodeName(n) == named.Groups[1].Value);
        Assert.True(node is not null, $"'{named.Groups[1].Value}' is not a node of the graph: {ex.Message}");
        Assert.Equal(node.OpType, named.Groups[2].Value);
    }

    [Fact]
    public void An_already_quantized_graph_is_refused()
    {
        var model = TinyConvModel(opset: 13);
        model.Graph.Node.Add(new NodeProto { OpType = "QuantizeLinear", Name = "q0", Input = { "y", "s" }, Output = { "z" } });
        var ex = Assert.Throws<QuantizationRefusedException>(() =>
            StaticQuantizer.Quantize(OnnxModel.FromProto(model), null, TinyCard(), [Gray()]));
        Assert.Equal("quantize-already-quantized", ex.Code);
        Assert.Contains("q0", ex.Message);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax, 255)]
    [InlineData(CalibrationMethod.Percentile, 100)]
    public void Percentile_calibration_clips_a_rare_outlier_that_minmax_keeps(CalibrationMethod method, int expectedHigh)
    {
        // 8×8 image at value 100 with one white pixel: 3 of 192 input values are outliers.
        var pixels = Enumerable.Repeat((byte)100, 8 * 8 * 3).ToArray();
        pixels[0] = pixels[1] = pixels[2] = 255;
        using var image = RgbImage.FromPixels(8, 8, pixels);
        var result = StaticQuantizer.Quantize(OnnxModel.FromProto(TinyConvModel(opset: 13)), null, TinyCard(), [image],
            new QuantizationOptions { Method = method, Percentile = 98 });

        var scale = result.Model.Proto.Graph.Initializer.Single(t => t.Name == "x_scale");
        Assert.Equal(expectedHigh / 255f / 255f, TensorData.Floats(scale)[0], 1e-6f);
        Assert.Equal(1, result.QuantizedWeights);
        Assert.Equal(1, result.Model.OperatorCounts["QuantizeLinear"]);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    public void A_float_tail_keeps_the_last_convolutions_in_float_and_names_them(int tail, int int8Weights)
    {
        // conv0 → relu → conv1: with a tail of 1, conv1 reads the dequantized relu output and keeps float weights.
        var model = TinyConvModel(opset: 13);
        var graph = model.Graph;
        graph.Node.Add(new NodeProto { OpType = "Relu", Name = "relu0", Input = { "y" }, Output = { "r" } });
        var w1 = new TensorProto { Name = "w1", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2, 4, 1, 1 } };
        w1.FloatData.AddRange(Enumerable.Range(0, 8).Select(i => 0.05f * (i - 3)));
        graph.Initializer.Add(w1);
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv1", Input = { "r", "w1" }, Output = { "z" } });
        graph.Output[0] = FloatInfo("z", 1, 2, 8, 8);
        var pixels = Enumerable.Range(0, 8 * 8 * 3).Select(i => (byte)(i * 7 % 256)).ToArray();
        using var image = RgbImage.FromPixels(8, 8, pixels);
        var float32 = OnnxModel.FromProto(model);

        var result = StaticQuantizer.Quantize(float32, null, TinyCard(), [image], new QuantizationOptions { FloatTail = tail });

        Assert.Equal(int8Weights, result.QuantizedWeights);
        Assert.Equal(tail == 1, result.FloatNodes.Contains("conv1"));
        var conv1 = result.Model.Proto.Graph.Node.Single(n => n.Name == "conv1");
        Assert.Equal(tail == 1 ? "w1" : "w1_dequantized", conv1.Input[1]);
        Assert.True(result.Agreement.Value > 0.99, $"cosine {result.Agreement.Value}");
    }

    [Fact]
    public void A_convolution_whose_only_use_is_a_clip_behind_a_transpose_is_quantized_to_the_clip_bounds()
    {
        // conv0 → Transpose → Clip(0, 0.5) → Transpose → conv1, as TensorFlow imports write Conv + Relu6: y spans
        // 0..3 on this image, but only 0..0.5 survives the clip, so y's 256 levels go there.
        var model = TinyConvModel(opset: 13);
        var graph = model.Graph;
        graph.Node.Add(new NodeProto
        {
            OpType = "Transpose", Name = "to_nhwc", Input = { "y" }, Output = { "t" },
            Attribute = { new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 3, 1 } } },
        });
        graph.Initializer.Add(TensorData.Float("clip_min", [0f]));
        graph.Initializer.Add(TensorData.Float("clip_max", [0.5f]));
        graph.Node.Add(new NodeProto { OpType = "Clip", Name = "relu6", Input = { "t", "clip_min", "clip_max" }, Output = { "c" } });
        graph.Node.Add(new NodeProto
        {
            OpType = "Transpose", Name = "to_nchw", Input = { "c" }, Output = { "r" },
            Attribute = { new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 3, 1, 2 } } },
        });
        var w1 = new TensorProto { Name = "w1", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2, 4, 1, 1 } };
        w1.FloatData.AddRange(Enumerable.Range(0, 8).Select(i => 0.05f * (i - 3)));
        graph.Initializer.Add(w1);
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv1", Input = { "r", "w1" }, Output = { "z" } });
        graph.Output[0] = FloatInfo("z", 1, 2, 8, 8);
        var pixels = Enumerable.Range(0, 8 * 8 * 3).Select(i => (byte)(i * 7 % 256)).ToArray();
        using var image = RgbImage.FromPixels(8, 8, pixels);

        var result = StaticQuantizer.Quantize(OnnxModel.FromProto(model), null, TinyCard(), [image]);

        var scale = TensorData.Floats(result.Model.Proto.Graph.Initializer.Single(t => t.Name == "y_scale"))[0];
        Assert.Equal(0.5f / 255f, scale, 1e-7f);
        Assert.True(result.Agreement.Value > 0.99, $"cosine {result.Agreement.Value}");
    }

    [Fact]
    public void Entropy_calibration_keeps_the_image_input_range_that_preprocessing_fixes()
    {
        // The same outlier image as the percentile test: entropy clips activations, never the image input.
        var pixels = Enumerable.Repeat((byte)100, 8 * 8 * 3).ToArray();
        pixels[0] = pixels[1] = pixels[2] = 255;
        using var image = RgbImage.FromPixels(8, 8, pixels);
        var result = StaticQuantizer.Quantize(OnnxModel.FromProto(TinyConvModel(opset: 13)), null, TinyCard(), [image],
            new QuantizationOptions { Method = CalibrationMethod.Entropy });

        Assert.Equal("entropy", result.Model.Metadata["zoo.quantization_method"]);
        var scale = TensorData.Floats(result.Model.Proto.Graph.Initializer.Single(t => t.Name == "x_scale"))[0];
        Assert.Equal(255 / 255f / 255f, scale, 1e-6f);
        Assert.True(result.Agreement.Value > 0.99, $"cosine {result.Agreement.Value}");
    }

    private static RgbImage Gray() => RgbImage.FromPixels(8, 8, new byte[8 * 8 * 3]);

    private static ModelCard TinyCard() => new()
    {
        Handle = "local/tiny",
        Task = ModelTask.ImageFeatureVector,
        Files = [new ModelFile { Name = "m.onnx", Source = "file:m.onnx", Sha256 = new string('0', 64), Size = 1 }],
        License = new LicenseInfo { Spdx = "MIT" },
        Input = new InputSpec { Name = "x", Width = 8, Height = 8, Layout = TensorLayout.Nchw },
    };

    private static ModelProto TinyConvModel(int opset)
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(FloatInfo("x", 1, 3, 8, 8));
        graph.Output.Add(FloatInfo("y", 1, 4, 8, 8));
        var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 4, 3, 1, 1 } };
        w.FloatData.AddRange(Enumerable.Range(0, 12).Select(i => i * 0.1f));
        graph.Initializer.Add(w);
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv0", Input = { "x", "w" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private static ValueInfoProto FloatInfo(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
