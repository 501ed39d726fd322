using System.Diagnostics;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Quantization;
using ModelZoo.Store;

namespace ModelZoo.Benchmarks;

/// <summary>The ResNet-18 backbone quantized at the defaults on a set's training images and registered in a home of
/// its own, as <c>zoo quantize imagenet/resnet18/feature_vector --calibration …</c> does.</summary>
internal static class Int8Backbone
{
    /// <summary>What quantising produced: the registered card, the quantized model, and how long quantising took
    /// (calibration, rewrite and the agreement check; decoding the calibration images and writing the files included).</summary>
    internal sealed record Result(ModelCard Card, QuantizedModel Model, TimeSpan QuantizeTime);

    /// <summary><paramref name="count"/> paths evenly spread over the (class-ordered) training images, so that every
    /// class is in the calibration set.</summary>
    internal static List<string> CalibrationPaths(IEnumerable<string> trainingPaths, int count)
    {
        var train = trainingPaths.Order(StringComparer.Ordinal).ToList();
        var n = Math.Min(count, train.Count);
        return Enumerable.Range(0, n).Select(i => train[(int)((long)i * train.Count / n)]).ToList();
    }

    /// <summary>Quantizes <paramref name="backboneCard"/> on <paramref name="calibrationPaths"/> and registers the
    /// result as <paramref name="handle"/> in <paramref name="settings"/>' catalog (files under <paramref name="directory"/>).</summary>
    internal static async Task<Result> QuantizeAsync(ModelStore store, ModelCard backboneCard, ZooSettings settings, string handle,
        string dataRoot, IReadOnlyList<string> calibrationPaths, string directory)
    {
        var clock = Stopwatch.StartNew();
        var local = await store.OpenAsync(backboneCard).ConfigureAwait(false);
        var model = OnnxModel.Load(local.ModelPath);
        var pre = backboneCard.Input?.PreprocessGraph is { } graph ? OnnxModel.Load(local.PathOf(graph)) : null;
        var images = calibrationPaths.Select(p => ImageDecoder.Decode(p)).ToList();
        try
        {
            var quantized = StaticQuantizer.Quantize(model, pre, backboneCard, images);
            var card = QuantizedCard.Write(backboneCard, local, quantized, handle, new QuantizationOptions().MethodName,
                QuantizedCard.CalibrationHash(dataRoot, calibrationPaths), calibrationPaths.Count, directory);
            ModelCatalog.Load(settings).Register(card, settings, overwrite: true);
            return new Result(card, quantized, clock.Elapsed);
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }
}
