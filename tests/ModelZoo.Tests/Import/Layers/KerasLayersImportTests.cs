using System.Text.Json.Nodes;
using ModelZoo.Import.Tfjs;
using ModelZoo.Runtime;
using ModelZoo.Tests.Infrastructure;
using static ModelZoo.Tests.Import.KerasModelWriter;

namespace ModelZoo.Tests.Import.Layers;

/// <summary>
/// TFJS layers models written here with random weights, imported and run by ONNX Runtime, against
/// <c>tf.loadLayersModel</c> on the same input (<c>tests/node/tfjs-layers-reference.mjs</c>). Together the models use
/// every layer class of the layer table. Tolerance: |onnx - tfjs| ≤ 1e-4 + 1e-5·|tfjs|.
/// </summary>
public sealed class KerasLayersImportTests
{
    private static JsonObject Conv(int filters, int kernel, string padding = "same", int stride = 1, int dilation = 1,
        string activation = "linear", bool bias = true) => new()
    {
        ["filters"] = filters,
        ["kernel_size"] = Ints(kernel, kernel),
        ["strides"] = Ints(stride, stride),
        ["padding"] = padding,
        ["data_format"] = "channels_last",
        ["dilation_rate"] = Ints(dilation, dilation),
        ["groups"] = 1,
        ["activation"] = activation,
        ["use_bias"] = bias,
    };

    private static W[] ConvWeights(int kernel, int inC, int outC, bool bias = true) =>
        bias ? [new W("kernel", [kernel, kernel, inC, outC]), new W("bias", [outC])] : [new W("kernel", [kernel, kernel, inC, outC])];

    private static W[] BatchNormWeights(int c) =>
        [new W("gamma", [c], 0.5, 1.5), new W("beta", [c]), new W("moving_mean", [c]), new W("moving_variance", [c], 0.2, 2)];

    /// <summary>An image-to-image model in the shape of the ESRGAN family plus the other image layers.</summary>
    private static string WriteImageModel(string folder)
    {
        var w = new KerasModelWriter(seed: 11);
        var x = w.Input("LR", null, null, null, 3);
        var c0 = w.Layer("Conv2D", "F_0", Conv(8, 3), [x], ConvWeights(3, 3, 8));
        var c1 = w.Layer("Conv2D", "F_1", Conv(8, 3, dilation: 2, activation: "relu"), [c0], ConvWeights(3, 8, 8));
        var cat = w.Layer("Concatenate", "cat", new JsonObject { ["axis"] = 3 }, [c0, c1]);
        var lff = w.Layer("Conv2D", "LFF", Conv(8, 1, padding: "valid"), [cat], ConvWeights(1, 16, 8));
        var beta = w.Layer("MultiplyBeta", "beta", new JsonObject(), [lff]);
        var add = w.Layer("Add", "add", new JsonObject(), [beta, c0]);
        var bn = w.Layer("BatchNormalization", "bn", new JsonObject { ["axis"] = -1, ["epsilon"] = 0.001, ["center"] = true, ["scale"] = true },
            [add], BatchNormWeights(8));
        var relu6 = w.Layer("ReLU", "relu6", new JsonObject { ["max_value"] = 6.0, ["negative_slope"] = 0.0, ["threshold"] = 0.0 }, [bn]);
        var leaky = w.Layer("LeakyReLU", "leaky", new JsonObject { ["alpha"] = 0.1 }, [bn]);
        var mul = w.Layer("Multiply", "mul", new JsonObject(), [relu6, leaky]);
        var avg = w.Layer("Average", "avg", new JsonObject(), [mul, relu6, add]);
        var max = w.Layer("Maximum", "max", new JsonObject(), [avg, add]);
        var dw = w.Layer("DepthwiseConv2D", "dw", new JsonObject
        {
            ["kernel_size"] = Ints(3, 3), ["strides"] = Ints(1, 1), ["padding"] = "same", ["depth_multiplier"] = 1,
            ["data_format"] = "channels_last", ["dilation_rate"] = Ints(1, 1), ["activation"] = "swish", ["use_bias"] = true,
        }, [max], new W("depthwise_kernel", [3, 3, 8, 1]), new W("bias", [8]));
        var sep = w.Layer("SeparableConv2D", "sep", new JsonObject
        {
            ["filters"] = 12, ["kernel_size"] = Ints(3, 3), ["strides"] = Ints(1, 1), ["padding"] = "same", ["depth_multiplier"] = 1,
            ["data_format"] = "channels_last", ["dilation_rate"] = Ints(1, 1), ["activation"] = "tanh", ["use_bias"] = true,
        }, [dw], new W("depthwise_kernel", [3, 3, 8, 1]), new W("pointwise_kernel", [1, 1, 8, 12]), new W("bias", [12]));
        var drop = w.Layer("Dropout", "drop", new JsonObject { ["rate"] = 0.5 }, [sep]);
        var shuffle = w.Layer("PixelShuffle2x", "pixel_shuffle", new JsonObject { ["scale"] = 2 }, [drop]);
        var up = w.Layer("UpSampling2D", "up", new JsonObject { ["size"] = Ints(2, 2), ["data_format"] = "channels_last", ["interpolation"] = "nearest" }, [c0]);
        var upc = w.Layer("Conv2D", "upc", Conv(3, 3, activation: "sigmoid"), [up], ConvWeights(3, 8, 3));
        var both = w.Layer("Add", "both", new JsonObject(), [shuffle, upc]);
        var bil = w.Layer("UpSampling2D", "bil", new JsonObject { ["size"] = Ints(2, 2), ["data_format"] = "channels_last", ["interpolation"] = "bilinear" }, [both]);
        var pad = w.Layer("ZeroPadding2D", "pad", new JsonObject { ["padding"] = new JsonArray(Ints(1, 2), Ints(0, 1)), ["data_format"] = "channels_last" }, [bil]);
        var act = w.Layer("Activation", "hard", new JsonObject { ["activation"] = "hard_sigmoid" }, [pad]);
        var pool = w.Layer("MaxPooling2D", "pool", new JsonObject { ["pool_size"] = Ints(2, 2), ["strides"] = Ints(2, 2), ["padding"] = "same", ["data_format"] = "channels_last" }, [act]);
        var apool = w.Layer("AveragePooling2D", "apool", new JsonObject { ["pool_size"] = Ints(3, 3), ["strides"] = Ints(1, 1), ["padding"] = "valid", ["data_format"] = "channels_last" }, [pool]);
        var strided = w.Layer("Conv2D", "SR", Conv(3, 3, padding: "valid", stride: 2, activation: "elu"), [apool], ConvWeights(3, 3, 3));
        return w.SaveFunctional(folder, strided, both);
    }

    /// <summary>A classifier as Teachable Machine exports one: a Sequential of a nested feature model and a head.</summary>
    private static string WriteClassifier(string folder)
    {
        var w = new KerasModelWriter(seed: 5);
        var conv = Conv(8, 3, stride: 2, bias: false);
        conv["batch_input_shape"] = new JsonArray(null, 16, 16, 3);
        var features = Sequential("features",
            w.SequentialLayer("Conv2D", "conv1", conv, ConvWeights(3, 3, 8, bias: false)),
            w.SequentialLayer("BatchNormalization", "conv1_bn", new JsonObject { ["axis"] = 3, ["epsilon"] = 0.001 }, BatchNormWeights(8)),
            w.SequentialLayer("ReLU", "conv1_relu", new JsonObject { ["max_value"] = 6.0 }),
            w.SequentialLayer("GlobalAveragePooling2D", "gap", new JsonObject { ["data_format"] = "channels_last" }));
        var headInput = new JsonObject { ["units"] = 6, ["activation"] = "relu", ["use_bias"] = true, ["batch_input_shape"] = new JsonArray(null, 8) };
        var head = Sequential("head",
            w.SequentialLayer("Dense", "dense1", headInput, new W("kernel", [8, 6]), new W("bias", [6])),
            w.SequentialLayer("Dropout", "dropout1", new JsonObject { ["rate"] = 0.5 }),
            w.SequentialLayer("Reshape", "reshape", new JsonObject { ["target_shape"] = Ints(2, 3) }),
            w.SequentialLayer("Flatten", "flatten", new JsonObject()),
            w.SequentialLayer("Dense", "dense2", new JsonObject { ["units"] = 3, ["activation"] = "linear", ["use_bias"] = true },
                new W("kernel", [6, 3]), new W("bias", [3])),
            w.SequentialLayer("Softmax", "softmax", new JsonObject { ["axis"] = -1 }));
        return w.Save(folder, Sequential("sequential", features, head));
    }

    private static void AssertMatchesTfjs(string modelJson, int[] shape)
    {
        var reference = TfjsReference.GetLayers(modelJson, shape, min: 0, range: 1);
        var model = TfjsImporter.Import(modelJson);
        using var session = ModelSession.Open(model.ToBytes(), new SessionSettings { DynamicBatch = false });
        var input = reference.Inputs[0];
        var outputs = session.Run([new NamedTensor(session.Inputs[0].Name, input.Data, input.Shape)]);
        Assert.Equal(reference.Outputs.Count, outputs.Count);
        for (var k = 0; k < outputs.Count; k++)
        {
            var e = (float[])reference.Outputs[k].Data;
            var a = outputs[k].AsFloats();
            Assert.Equal(reference.Outputs[k].Shape, outputs[k].Shape);
            for (var i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - e[i]) <= 1e-4 + 1e-5 * Math.Abs(e[i]),
                    $"output {k} element {i}: ONNX {a[i]}, TensorFlow.js {e[i]}");
            }
        }
    }

    [Fact]
    public void Functional_image_model_matches_TensorFlow_js()
    {
        using var temp = new TempHome();
        AssertMatchesTfjs(WriteImageModel(temp.Path), [1, 9, 7, 3]);
    }

    [Fact]
    public void Nested_sequential_classifier_matches_TensorFlow_js()
    {
        using var temp = new TempHome();
        var path = WriteClassifier(temp.Path);
        AssertMatchesTfjs(path, [2, 16, 16, 3]);
        var model = TfjsImporter.Import(path);
        Assert.Equal("features_input", model.Inputs[0].Name);
        Assert.Equal("head", model.Outputs[0].Name);
    }

    [Fact]
    public void The_format_is_detected_from_the_topology_when_the_format_field_is_absent()
    {
        using var temp = new TempHome();
        var path = WriteImageModel(temp.Path);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root.Remove("format");
        File.WriteAllText(path, root.ToJsonString());
        var model = TfjsImporter.Import(path);
        Assert.Equal(["SR", "both"], model.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Unknown_custom_layers_and_lambdas_are_reported_by_class_and_name()
    {
        using var temp = new TempHome();
        var w = new KerasModelWriter();
        var x = w.Input("in", null, 4, 4, 3);
        var a = w.Layer("MySwirl", "swirl_1", new JsonObject(), [x]);
        var b = w.Layer("Lambda", "lambda_1", new JsonObject { ["function"] = "4wEAAAAAAAAA" }, [a]);
        var c = w.Layer("Activation", "act", new JsonObject { ["activation"] = "mystery" }, [b]);
        var path = w.SaveFunctional(temp.Path, c);

        var error = Assert.Throws<UnsupportedOperatorsException>(() => TfjsImporter.Import(path));
        Assert.Equal(["Activation", "Lambda", "MySwirl"], error.Operators.Keys);
        Assert.Equal(["swirl_1"], error.Operators["MySwirl"]);
        Assert.Contains("Python code", error.Message, StringComparison.Ordinal);
        Assert.Contains("activation 'mystery'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_short_weight_shard_is_a_clear_error()
    {
        using var temp = new TempHome();
        var path = WriteImageModel(temp.Path);
        var shard = Path.Combine(temp.Path, "group1-shard1of1.bin");
        var bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..(bytes.Length / 2)]);
        var shortError = Assert.Throws<TfjsModelException>(() => TfjsImporter.Import(path));
        Assert.Contains("group1-shard1of1.bin", shortError.Message, StringComparison.Ordinal);

        File.Delete(shard);
        var missing = Assert.Throws<TfjsModelException>(() => TfjsImporter.Import(path));
        Assert.Contains("group1-shard1of1.bin", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_path_outside_the_model_folder_is_refused()
    {
        using var temp = new TempHome();
        var path = WriteImageModel(Path.Combine(temp.Path, "model"));
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["weightsManifest"]![0]!["paths"] = new JsonArray("../outside.bin");
        File.Copy(Path.Combine(temp.Path, "model", "group1-shard1of1.bin"), Path.Combine(temp.Path, "outside.bin"));
        File.WriteAllText(path, root.ToJsonString());
        var error = Assert.Throws<TfjsModelException>(() => TfjsImporter.Import(path));
        Assert.Contains("outside.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_weight_missing_from_the_manifest_names_the_layer()
    {
        using var temp = new TempHome();
        var path = WriteImageModel(temp.Path);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var weight in root["weightsManifest"]![0]!["weights"]!.AsArray())
        {
            if ((string)weight!["name"]! == "F_1/kernel")
            {
                weight["name"] = "other/kernel";
            }
        }
        File.WriteAllText(path, root.ToJsonString());
        var error = Assert.Throws<TfjsModelException>(() => TfjsImporter.Import(path));
        Assert.Contains("'F_1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("F_1/kernel", error.Message, StringComparison.Ordinal);
    }
}
