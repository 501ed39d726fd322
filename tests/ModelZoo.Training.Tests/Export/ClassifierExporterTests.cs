using ModelZoo.Training.Heads;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Training.Export;

namespace ModelZoo.Training.Tests.Export;

public sealed class ClassifierExporterTests
{
    private const string MobileNetHandle = "imagenet/mobilenet_v2_int8/classification";
    private const string ResNetHandle = "imagenet/resnet18/feature_vector";
    private static readonly string[] Photos = ["darknet/dog.jpg", "skimage/chelsea.png", "skimage/coffee.png"];

    // ---- helpers -------------------------------------------------------------------------------------------------

    /// <summary>Dense layers with seeded random weights scaled to keep activations near unit size.</summary>
    private static List<HeadLayer> RandomHead(int seed, params (int Inputs, int Outputs, bool Relu)[] layers)
    {
        var rng = new Random(seed);
        return layers.Select(l =>
        {
            var scale = MathF.Sqrt(3f / l.Inputs) * 2f;
            var weight = Enumerable.Range(0, l.Inputs * l.Outputs).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale).ToArray();
            var bias = Enumerable.Range(0, l.Outputs).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            return new HeadLayer(weight, l.Outputs, l.Inputs, bias, l.Relu ? HeadActivation.Relu : HeadActivation.None);
        }).ToList();
    }

    /// <summary>The images as the spec preprocesses them (resize, channel order, normalisation, layout), one after another.</summary>
    private static float[] SpecTensor(InputSpec spec, IReadOnlyList<string> photos)
    {
        var length = ImagePreprocessor.TensorLength(spec);
        var batch = new float[photos.Count * length];
        for (var i = 0; i < photos.Count; i++)
        {
            using var image = ImageDecoder.Decode(ExportTestAssets.Image(photos[i]));
            ImagePreprocessor.WriteTensor(image, spec, batch.AsSpan(i * length, length));
        }
        return batch;
    }

    /// <summary>What the exported model takes: the same resized images as RGB 0–255 NCHW.</summary>
    private static float[] PixelTensor(InputSpec spec, IReadOnlyList<string> photos) =>
        SpecTensor(spec with { ColorOrder = ColorOrder.Rgb, Layout = TensorLayout.Nchw, Scale = 1f, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f], ElementType = "float32" }, photos);

    /// <summary>The head applied to features in C# (double accumulation), then softmax.</summary>
    private static float[] HeadProbabilities(float[] features, int rows, IReadOnlyList<HeadLayer> head)
    {
        var size = features.Length / rows;
        var classes = head[^1].Rows;
        var result = new float[rows * classes];
        for (var r = 0; r < rows; r++)
        {
            var x = features.AsSpan(r * size, size).ToArray().Select(v => (double)v).ToArray();
            foreach (var layer in head)
            {
                var y = new double[layer.Rows];
                for (var o = 0; o < layer.Rows; o++)
                {
                    double sum = layer.Bias[o];
                    for (var k = 0; k < layer.Cols; k++)
                    {
                        sum += layer.Weight[o * layer.Cols + k] * x[k];
                    }
                    y[o] = layer.Activation == HeadActivation.Relu ? Math.Max(0, sum) : sum;
                }
                x = y;
            }
            var max = x.Max();
            var exp = x.Select(v => Math.Exp(v - max)).ToArray();
            var total = exp.Sum();
            for (var c = 0; c < classes; c++)
            {
                result[r * classes + c] = (float)(exp[c] / total);
            }
        }
        return result;
    }

    private static float[] RunModel(OnnxModel model, string output, float[] input, long[] shape)
    {
        using var session = ModelSession.Open(model.ToBytes());
        return session.Run(session.Inputs[0].Name, input, shape, [output])[0].AsFloats();
    }

    private static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    private static int[] Top1(float[] probabilities, int classes) =>
        Enumerable.Range(0, probabilities.Length / classes)
            .Select(r => { var row = probabilities.AsSpan(r * classes, classes).ToArray(); return Array.IndexOf(row, row.Max()); }).ToArray();

    private static string TempFile(string name) => Path.Combine(Path.GetTempPath(), $"zoo-export-{Guid.NewGuid():N}-{name}");

    /// <summary>
    /// The checks every exported model must pass: in .NET its probabilities match the in-process pipeline (features
    /// from the backbone, head math in C#); cutting it at its recorded features tensor gives the backbone's features;
    /// saved and reloaded, metadata survives; and ONNX Runtime for Node.js gives the same answer.
    /// </summary>
    private static void AssertExportMatchesPipeline(OnnxModel exported, float[] pixels, float[] backboneFeatures,
        IReadOnlyList<HeadLayer> head, IReadOnlyDictionary<string, string> metadata, int height, int width)
    {
        var rows = Photos.Length;
        long[] shape = [rows, 3, height, width];
        var classes = head[^1].Rows;

        Assert.Equal("pixels", Assert.Single(exported.Inputs).Name);
        Assert.False(exported.Inputs[0].Shape[0].IsFixed);
        var output = Assert.Single(exported.Outputs);
        Assert.Equal("probabilities", output.Name);
        Assert.Equal(classes, output.Shape[1].Value);

        var expected = HeadProbabilities(backboneFeatures, rows, head);
        var probabilities = RunModel(exported, "probabilities", pixels, shape);
        Assert.True(MaxAbsDiff(expected, probabilities) <= 1e-4f, $"exported vs in-process probabilities differ by {MaxAbsDiff(expected, probabilities)}");
        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(1f, probabilities.AsSpan(r * classes, classes).ToArray().Sum(), 1e-5f);
        }

        var path = TempFile("classifier.onnx");
        try
        {
            exported.Save(path);
            var reloaded = OnnxModel.Load(path);
            foreach (var (key, value) in metadata)
            {
                Assert.Equal(value, reloaded.Metadata[key]);
            }
            var featuresTensor = reloaded.Metadata[ClassifierExporter.FeaturesTensorKey];
            Assert.Equal(backboneFeatures.Length / rows, int.Parse(reloaded.Metadata[ClassifierExporter.FeatureSizeKey], System.Globalization.CultureInfo.InvariantCulture));

            // Cut-then-reattach: the head comes off at the recorded tensor and the backbone's features are what is left.
            var recut = HeadlessCutter.Cut(reloaded, at: featuresTensor);
            Assert.Equal(backboneFeatures.Length / rows, recut.FeatureSize);
            var features = RunModel(recut.Model, recut.OutputName, pixels, shape);
            Assert.True(MaxAbsDiff(backboneFeatures, features) <= 1e-5f, $"re-cut features differ from the backbone's by {MaxAbsDiff(backboneFeatures, features)}");

            // Outside .NET: ONNX Runtime for Node.js on the saved file.
            var node = NodeOnnxRunner.Run(path, pixels, shape);
            var (dims, data) = node["probabilities"];
            Assert.Equal([(long)rows, classes], dims);
            Assert.Equal(Top1(probabilities, classes), Top1(data, classes));
            Assert.True(MaxAbsDiff(probabilities, data) <= 1e-4f, $"Node vs .NET probabilities differ by {MaxAbsDiff(probabilities, data)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- tests ---------------------------------------------------------------------------------------------------

    [Fact]
    public void MobileNet_int8_backbone_with_a_two_layer_head_matches_the_in_process_pipeline_in_dotnet_and_node()
    {
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(ExportTestAssets.MobileNetV2Int8));
        Assert.Equal(1280, backbone.FeatureSize);
        var spec = ModelCatalog.LoadBuiltin().Get(MobileNetHandle).Input!;
        var head = RandomHead(11, (1280, 16, true), (16, 4, false));
        var metadata = new Dictionary<string, string>
        {
            ["zoo.labels"] = "apple\nbanana\ncherry\ndate",
            ["zoo.backbone"] = MobileNetHandle,
        };

        var exported = ClassifierExporter.Build(backbone, spec, null, head, metadata);

        Assert.Equal(12, exported.Opsets[""]);
        Assert.Equal("ModelZoo.NET", exported.ProducerName);
        Assert.Equal("features", exported.Metadata[ClassifierExporter.FeaturesTensorKey]);
        var backboneFeatures = RunModel(backbone.Model, "features", SpecTensor(spec, Photos), [Photos.Length, 3, spec.Height, spec.Width]);
        AssertExportMatchesPipeline(exported, PixelTensor(spec, Photos), backboneFeatures, head, metadata, spec.Height, spec.Width);
    }

    [Fact]
    public async Task ResNet18_opset8_backbone_with_its_preprocessing_graph_matches_the_in_process_pipeline_in_dotnet_and_node()
    {
        var settings = ExportTestAssets.StoreSettings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get(ResNetHandle);
        var local = await store.OpenAsync(card);
        var spec = card.Input!;
        var preprocess = OnnxModel.Load(local.PathOf(spec.PreprocessGraph!));
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(local.ModelPath));
        Assert.Equal(512, backbone.FeatureSize);
        var head = RandomHead(12, (512, 3, false));
        var metadata = new Dictionary<string, string> { ["zoo.labels"] = "a\nb\nc" };

        var exported = ClassifierExporter.Build(backbone, spec, preprocess, head, metadata);

        Assert.Equal(8, exported.Opsets[""]);
        // In-process: the card's tensor through the package's preprocessing graph and the headless backbone.
        var composed = GraphComposer.Prepend(preprocess, backbone.Model, spec.Name);
        var backboneFeatures = RunModel(composed, "features", SpecTensor(spec, Photos), [Photos.Length, 3, spec.Height, spec.Width]);
        AssertExportMatchesPipeline(exported, PixelTensor(spec, Photos), backboneFeatures, head, metadata, spec.Height, spec.Width);
        Assert.True(preprocess.Inputs[0].Shape[0].IsFixed, "the caller's preprocessing graph must not be changed");
    }

    [Fact]
    public void Bgr_nhwc_spec_is_reordered_normalised_and_transposed_in_the_graph_exactly_like_the_preprocessor()
    {
        // The backbone returns its whole input flattened, so its features are the preprocessed tensor itself.
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(ExportTestAssets.Fixture("flatten-nhwc-float.onnx")), at: "flat");
        Assert.Equal(144, backbone.FeatureSize);
        var spec = new InputSpec
        {
            Width = 8,
            Height = 6,
            Layout = TensorLayout.Nhwc,
            ColorOrder = ColorOrder.Bgr,
            Scale = 1f / 255f,
            Mean = [0.406f, 0.456f, 0.485f],
            Std = [0.225f, 0.224f, 0.229f],
            Resize = ResizeMode.CenterCrop,
        };
        var head = RandomHead(13, (144, 5, false));
        var metadata = new Dictionary<string, string> { ["zoo.note"] = "bgr nhwc" };

        var exported = ClassifierExporter.Build(backbone, spec, null, head, metadata);

        var specTensor = SpecTensor(spec, Photos);
        AssertExportMatchesPipeline(exported, PixelTensor(spec, Photos), specTensor, head, metadata, spec.Height, spec.Width);
        // And more precisely: the in-graph preprocessing reproduces ImagePreprocessor bit for bit.
        var recut = HeadlessCutter.Cut(exported, at: exported.Metadata[ClassifierExporter.FeaturesTensorKey]);
        Assert.Equal(specTensor, RunModel(recut.Model, "features", PixelTensor(spec, Photos), [Photos.Length, 3, 6, 8]));
    }

    [Fact]
    public void Uint8_spec_feeds_the_backbone_cast_pixels()
    {
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(ExportTestAssets.Fixture("flatten-nchw-uint8.onnx")), at: "flat");
        var spec = new InputSpec { Width = 8, Height = 6, ElementType = "uint8" };
        var head = RandomHead(14, (144, 8, true), (8, 3, false));

        var exported = ClassifierExporter.Build(backbone, spec, null, head, new Dictionary<string, string>());

        var pixels = PixelTensor(spec, Photos);
        var recut = HeadlessCutter.Cut(exported, at: "features");
        Assert.Equal(pixels, RunModel(recut.Model, "features", pixels, [Photos.Length, 3, 6, 8]));
        var expected = HeadProbabilities(pixels, Photos.Length, head);
        var actual = RunModel(exported, "probabilities", pixels, [Photos.Length, 3, 6, 8]);
        Assert.True(MaxAbsDiff(expected, actual) <= 1e-4f);
    }

    [Fact]
    public void Head_that_does_not_fit_the_backbone_or_does_not_chain_is_rejected()
    {
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(ExportTestAssets.Fixture("flatten-nhwc-float.onnx")), at: "flat");
        var spec = new InputSpec { Width = 8, Height = 6, Layout = TensorLayout.Nhwc };
        var empty = new Dictionary<string, string>();

        var wrongInput = Assert.Throws<ArgumentException>(() => ClassifierExporter.Build(backbone, spec, null, RandomHead(1, (100, 3, false)), empty));
        Assert.Contains("144", wrongInput.Message);
        var broken = Assert.Throws<ArgumentException>(() => ClassifierExporter.Build(backbone, spec, null, RandomHead(1, (144, 8, true), (7, 3, false)), empty));
        Assert.Contains("layer 1", broken.Message);
        var shortBias = new HeadLayer(new float[144 * 2], 2, 144, new float[1], HeadActivation.None);
        Assert.Throws<ArgumentException>(() => ClassifierExporter.Build(backbone, spec, null, [shortBias], empty));
        Assert.Throws<ArgumentException>(() => ClassifierExporter.Build(backbone, spec, null, [], empty));
        var gray = Assert.Throws<ZooException>(() => ClassifierExporter.Build(backbone, spec with { ColorOrder = ColorOrder.Gray }, null, RandomHead(1, (144, 3, false)), empty));
        Assert.Equal("export-input-unsupported", gray.Code);
    }
}
