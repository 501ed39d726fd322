using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Quantization;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class QuantizeCommandTests
{
    private const string ResNet = "imagenet/resnet18/feature_vector";
    private const string NanoDet = "coco/nanodet/detection";

    [Fact]
    public void Quantize_registers_an_int8_card_that_embed_and_train_use()
    {
        var settings = SharedStore.Settings;
        var work = Path.Combine(Path.GetTempPath(), "zoo-cli-quantize-" + Guid.NewGuid().ToString("N")[..8]);
        var handle = "local/quantize-cli-" + Guid.NewGuid().ToString("N")[..6];
        var trained = handle + "-tux";
        try
        {
            var calibration = QuantizationImages.CreateCalibrationFolder(Path.Combine(work, "calibration"));
            var quantize = CliRunner.Run(settings, "quantize", ResNet, "--calibration", calibration, "--name", handle);
            Assert.True(quantize.ExitCode == 0, quantize.AllText);
            Assert.Contains("agreement with fp32: cosine", quantize.AllText);

            var card = ModelCatalog.Load(settings).Get(handle);
            Assert.Equal(ResNet, card.QuantizedFrom);
            var info = card.Quantization!;
            Assert.Equal(35, info.CalibrationImages);
            Assert.Equal("cosine", info.Metric);
            Assert.True(info.Agreement >= info.Threshold && info.Threshold == 0.98, $"agreement {info.Agreement}, threshold {info.Threshold}");
            Assert.Equal(64, info.CalibrationSha256.Length);
            var modelPath = card.ModelFile.Source["file:".Length..];
            Assert.Equal(card.ModelFile.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelPath))));
            Assert.NotEqual(ModelCatalog.Load(settings).Get(ResNet).ModelFile.Sha256, card.ModelFile.Sha256);
            Assert.True(OnnxModel.Load(modelPath).OperatorCounts.GetValueOrDefault("QuantizeLinear") > 0);

            // embed with the int8 card follows the fp32 card on held-out photos.
            var photos = QuantizationImages.HeldOutPhotos.Take(4).Select(TestAssets.Image).ToArray();
            var int8 = CliRunner.Run(settings, ["embed", handle, .. photos]);
            var fp32 = CliRunner.Run(settings, ["embed", ResNet, .. photos]);
            Assert.True(int8.ExitCode == 0, int8.AllText);
            Assert.True(fp32.ExitCode == 0, fp32.AllText);
            var a = Vectors(int8.Output);
            var b = Vectors(fp32.Output);
            Assert.Equal(photos.Length, a.Count);
            for (var i = 0; i < a.Count; i++)
            {
                Assert.Equal(512, a[i].Length);
                var cosine = TensorPrimitives.CosineSimilarity(a[i], b[i]);
                Assert.True(cosine >= 0.98, $"{photos[i]}: cosine {cosine} between int8 and fp32 embeddings");
            }

            // ResNet's card normalises through a separate preprocessing graph: the int8 file has it joined in front, so it
            // is one file that carries its input spec and embeds alone exactly as the card does, with nothing assumed.
            Assert.Single(card.Files);
            Assert.Null(card.Input!.PreprocessGraph);
            Assert.Contains(ModelMetadataKeys.Input, OnnxModel.Load(modelPath).Metadata.Keys);
            var byFile = CliRunner.Run(settings, ["embed", modelPath, .. photos]);
            Assert.True(byFile.ExitCode == 0, byFile.AllText);
            Assert.DoesNotContain("assumed", byFile.AllText, StringComparison.Ordinal);
            Assert.Equal(a, Vectors(byFile.Output));

            // train --base takes the int8 card like any feature-vector base.
            var data = TuxpaintDataset.Create(Path.Combine(work, "tux"), perClass: 5, classes: 2);
            var train = CliRunner.Run(settings, "train", "--base", handle, "--data", data, "--out", Path.Combine(work, "run"),
                "--name", trained, "--epochs", "5", "--val-split", "0");
            Assert.True(train.ExitCode == 0, train.AllText);
            var image = Directory.GetFiles(Path.Combine(data, "birds")).Order(StringComparer.Ordinal).First();
            var classify = CliRunner.Run(settings, "classify", trained, image, "--json", "--top", "1");
            Assert.True(classify.ExitCode == 0, classify.AllText);
            using var doc = JsonDocument.Parse(classify.Output);
            Assert.Equal("birds", doc.RootElement[0].GetProperty("predictions")[0].GetProperty("label").GetString());
        }
        finally
        {
            Cleanup(settings, trained);
            Cleanup(settings, handle);
            DeleteQuiet(Path.Combine(settings.Home, "quantized", handle.Replace('/', '+')));
            DeleteQuiet(work);
        }
    }

    [Fact]
    public void An_int8_detector_file_alone_detects_as_its_card_does()
    {
        var settings = SharedStore.Settings;
        var work = Path.Combine(Path.GetTempPath(), "zoo-cli-quantize-" + Guid.NewGuid().ToString("N")[..8]);
        var handle = "local/quantize-nanodet-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var calibration = Directory.CreateDirectory(Path.Combine(work, "calibration")).FullName;
            foreach (var photo in QuantizationImages.ScenePhotos)
            {
                File.Copy(TestAssets.Image(photo), Path.Combine(calibration, photo.Replace('/', '_')));
            }
            var quantize = CliRunner.Run(settings, "quantize", NanoDet, "--calibration", calibration, "--name", handle);
            Assert.True(quantize.ExitCode == 0, quantize.AllText);
            var modelPath = ModelCatalog.Load(settings).Get(handle).ModelFile.Source["file:".Length..];
            Assert.Contains("file " + modelPath, quantize.AllText, StringComparison.Ordinal);

            // The file carries the input spec (size, 0-1 scaling), the decoder and the COCO names, so nothing is assumed
            // and the boxes are the card's on photos calibration never saw.
            var photos = QuantizationImages.SceneHeldOut.Select(TestAssets.Image).ToArray();
            var byHandle = CliRunner.Run(settings, ["detect", handle, .. photos, "--json"]);
            var byFile = CliRunner.Run(settings, ["detect", modelPath, .. photos, "--json"]);
            Assert.True(byHandle.ExitCode == 0, byHandle.AllText);
            Assert.True(byFile.ExitCode == 0, byFile.AllText);
            Assert.DoesNotContain("assumed", byFile.AllText, StringComparison.Ordinal);
            using var expected = JsonDocument.Parse(byHandle.Output);
            using var actual = JsonDocument.Parse(byFile.Output);
            Assert.True(expected.RootElement.EnumerateArray().Sum(i => i.GetProperty("detections").GetArrayLength()) >= 5, byHandle.Output);
            Assert.Equal(expected.RootElement.ToString(), actual.RootElement.ToString());

            // card rm unregisters it and deletes the int8 file the zoo wrote into its home; a built-in card is refused.
            var remove = CliRunner.Run(settings, "card", "rm", handle);
            Assert.True(remove.ExitCode == 0, remove.AllText);
            Assert.Contains($"unregistered {handle}", remove.AllText, StringComparison.Ordinal);
            Assert.False(ModelCatalog.Load(settings).TryGet(handle, out _));
            Assert.False(File.Exists(modelPath), modelPath);
            var builtin = CliRunner.Run(settings, "card", "rm", NanoDet);
            Assert.Equal(2, builtin.ExitCode);
            Assert.Contains("built-in", builtin.AllText, StringComparison.Ordinal);
            Assert.True(ModelCatalog.Load(settings).TryGet(NanoDet, out _));
        }
        finally
        {
            Cleanup(settings, handle);
            DeleteQuiet(Path.Combine(settings.Home, "quantized", handle.Replace('/', '+')));
            DeleteQuiet(work);
        }
    }

    [Fact]
    public async Task Quantize_below_the_agreement_threshold_fails_and_registers_nothing()
    {
        var settings = SharedStore.Settings;
        var work = Path.Combine(Path.GetTempPath(), "zoo-cli-quantize-" + Guid.NewGuid().ToString("N")[..8]);
        var handle = "local/quantize-refused-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var calibration = QuantizationImages.CreateCalibrationFolder(Path.Combine(work, "calibration"), stampsPerFolder: 2);
            var result = CliRunner.Run(settings, "quantize", ResNet, "--calibration", calibration, "--name", handle, "--min-agreement", "0.99999");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("below the threshold 0.99999", result.AllText);
            Assert.Contains("nothing was registered", result.AllText);
            // The message names the nodes where int8 strays most, and they are nodes of the ResNet-18 graph.
            var named = System.Text.RegularExpressions.Regex.Match(result.AllText, "strays from fp32 most at nodes? '([^']+)' \\(([A-Za-z]+),");
            Assert.True(named.Success, result.AllText);
            using var store = new ModelStore(settings);
            var local = await store.OpenAsync(ModelCatalog.Load(settings).Get(ResNet));
            var graph = OnnxModel.Load(local.ModelPath).Proto.Graph;
            Assert.Contains(graph.Node, n => (n.Name.Length > 0 ? n.Name : n.Output[0]) == named.Groups[1].Value);
            Assert.False(ModelCatalog.Load(settings).TryGet(handle, out _));
            Assert.False(Directory.Exists(Path.Combine(settings.Home, "quantized", handle.Replace('/', '+'))));
        }
        finally
        {
            Cleanup(settings, handle);
            DeleteQuiet(work);
        }
    }

    [Fact]
    public void Quantize_without_calibration_is_a_usage_error()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "quantize", ResNet);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--calibration DIR", result.AllText);
    }

    private static List<float[]> Vectors(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
    }

    private static void Cleanup(ZooSettings settings, string handle)
    {
        var catalog = ModelCatalog.Load(settings);
        if (catalog.TryGet(handle, out var card))
        {
            using var store = new ModelStore(settings);
            store.Remove(card);
            catalog.Unregister(handle, settings);
        }
    }

    private static void DeleteQuiet(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
