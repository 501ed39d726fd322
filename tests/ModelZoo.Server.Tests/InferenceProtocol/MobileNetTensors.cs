using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Store;

namespace ModelZoo.Server.Tests.InferenceProtocol;

/// <summary>
/// Real tensors for the MobileNet v2 int8 classifier (the dog photo preprocessed as its card says) and the model's own
/// ONNX Runtime output for them, read straight from the store's file: what a v2 infer must answer.
/// </summary>
internal static class MobileNetTensors
{
    /// <summary>The classifier's v2 name: its handle with '/' written as '~'.</summary>
    public const string V2Name = "imagenet~mobilenet_v2_int8~classification";

    public static ModelCard Card => ModelCatalog.LoadBuiltin().Get(MobileNetHome.Handle);

    /// <summary>The dog photo as the model's [1,3,224,224] input, optionally flipped left-right (a second real input).</summary>
    public static float[] Dog(bool mirrored = false)
    {
        using var image = ImageDecoder.Decode(MobileNetHome.DogPhoto);
        var spec = Card.Input!;
        var tensor = new float[ImagePreprocessor.TensorLength(spec)];
        ImagePreprocessor.WriteTensor(image, spec, tensor);
        if (mirrored)
        {
            var width = spec.Width;
            for (var row = 0; row < tensor.Length / width; row++)
            {
                Array.Reverse(tensor, row * width, width);
            }
        }
        return tensor;
    }

    /// <summary>The model file's input and output descriptions and its outputs for <paramref name="input"/>, from a
    /// session opened directly on the stored file.</summary>
    public static async Task<(TensorInfo Input, IReadOnlyList<TensorInfo> Outputs, IReadOnlyList<NamedTensor> Results)> ReferenceAsync(
        ZooSettings settings, float[] input, int batch = 1)
    {
        using var store = new ModelStore(settings);
        var local = await store.OpenAsync(Card);
        using var session = ModelSession.Open(local.ModelPath);
        var info = session.Inputs[0];
        var results = session.Run([new NamedTensor(info.Name, input, [batch, 3, 224, 224])]);
        return (info, session.Outputs, results);
    }

    public static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());

    public static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-5f, $"the served output differs from the model's own output by up to {worst}");
        Assert.Equal(ArgMax(expected), ArgMax(actual));
    }
}
