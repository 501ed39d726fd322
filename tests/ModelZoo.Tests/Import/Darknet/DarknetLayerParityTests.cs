using System.Buffers.Binary;
using ModelZoo.Import.Darknet;
using ModelZoo.Runtime;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Import.Darknet;

/// <summary>
/// Small cfgs written here that use every translated layer and option the package's detector and classifier cfgs
/// leave out (crop, a connected layer with batch norm, shortcuts between layers of different shapes, upsample with a
/// scale, reorg, grouped convolution, every activation, maxpool with explicit padding, softmax groups and
/// temperature, region without softmax), compared with libdarknet on random weights; and the older weights header
/// (32-bit <c>seen</c>) and transposed connected weights, which libdarknet's own <c>save_weights</c> never writes.
/// </summary>
public sealed class DarknetLayerParityTests
{
    private const string Classifier = """
        [net]
        batch=1
        width=20
        height=18
        channels=3

        [crop]
        crop_width=16
        crop_height=16

        [convolutional]
        batch_normalize=1
        filters=8
        size=3
        stride=1
        pad=1
        activation=leaky

        [maxpool]
        size=3
        stride=1

        [convolutional]
        filters=16
        size=3
        stride=2
        pad=1
        activation=ramp

        # different shapes: 8×16×16 added into 16×8×8
        [shortcut]
        from=-3
        activation=tanh

        [convolutional]
        batch_normalize=1
        filters=16
        groups=4
        size=3
        stride=1
        pad=1
        activation=relu

        [upsample]
        stride=2
        scale=0.5

        # 8×16×16 added into 16×16×16 (fewer channels)
        [shortcut]
        from=-6
        activation=elu

        [maxpool]
        size=2
        stride=2
        padding=4

        [reorg]
        stride=2

        [route]
        layers=-1

        [convolutional]
        filters=12
        size=1
        stride=1
        pad=0
        activation=logistic

        [connected]
        output=24
        batch_normalize=1
        activation=linear

        [dropout]
        probability=.5

        [connected]
        output=12
        activation=selu

        [softmax]
        groups=3
        temperature=2

        [cost]
        """;

    private const string Region = """
        [net]
        width=64
        height=64
        channels=3

        [convolutional]
        filters=8
        size=3
        stride=2
        pad=1
        activation=leaky

        [maxpool]
        size=2
        stride=2

        [convolutional]
        filters=14
        size=1
        stride=1
        pad=1
        activation=linear

        [region]
        anchors=1,2,3,4
        classes=2
        num=2
        softmax=0
        """;

    [Theory]
    [InlineData(nameof(Classifier))]
    [InlineData(nameof(Region))]
    public void Every_translated_layer_matches_libdarknet(string which)
    {
        using var home = new TempHome();
        var cfg = Path.Combine(home.Path, which.ToLowerInvariant() + ".cfg");
        File.WriteAllText(cfg, which == nameof(Classifier) ? Classifier : Region);
        var reference = DarknetReference.Get(cfg);
        AssertMatches(reference, DarknetImporter.Import(reference.Cfg, reference.Weights), home.Path);
    }

    [Fact]
    public void Old_header_with_a_32_bit_seen_reads_the_same_weights()
    {
        using var home = new TempHome();
        var reference = ClassifierReference(home.Path);
        var bytes = File.ReadAllBytes(reference.Weights);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4))); // libdarknet writes 0.2.0 with an int64 seen
        var old = new byte[bytes.Length - 4];
        bytes.AsSpan(0, 12).CopyTo(old);
        BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(12), 12345);
        bytes.AsSpan(20).CopyTo(old.AsSpan(16));
        var path = Path.Combine(home.Path, "old.weights");
        File.WriteAllBytes(path, old);

        var result = DarknetImporter.Import(reference.Cfg, path);

        Assert.Equal("0.1.0", result.WeightsVersion);
        Assert.Equal(12345, result.Seen);
        AssertMatches(reference, result, home.Path);
    }

    [Fact]
    public void Transposed_connected_weights_are_read_as_libdarknet_reads_them()
    {
        using var home = new TempHome();
        var reference = ClassifierReference(home.Path);
        var bytes = File.ReadAllBytes(reference.Weights);
        var imported = DarknetImporter.Import(reference.Cfg, reference.Weights);
        // Version 1001.0 marks transposed connected weights (and, major ≥ 1000, a 32-bit seen): rewrite both
        // connected layers' matrices as [inputs][outputs].
        var floats = new float[(bytes.Length - 20) / 4];
        Buffer.BlockCopy(bytes, 20, floats, 0, floats.Length * 4);
        var offset = ConnectedOffsets(reference.Cfg, floats.Length);
        foreach (var (start, outputs, inputs) in offset)
        {
            var t = new float[outputs * inputs];
            for (var o = 0; o < outputs; o++)
            {
                for (var i = 0; i < inputs; i++)
                {
                    t[i * outputs + o] = floats[start + o * inputs + i];
                }
            }
            t.CopyTo(floats, start);
        }
        var rewritten = new byte[16 + floats.Length * 4];
        BinaryPrimitives.WriteInt32LittleEndian(rewritten, 1001);
        Buffer.BlockCopy(floats, 0, rewritten, 16, floats.Length * 4);
        var path = Path.Combine(home.Path, "transposed.weights");
        File.WriteAllBytes(path, rewritten);

        var result = DarknetImporter.Import(reference.Cfg, path);

        Assert.Equal(imported.ParameterCount, result.ParameterCount);
        AssertMatches(reference, result, home.Path);
    }

    private static DarknetReference ClassifierReference(string folder)
    {
        var cfg = Path.Combine(folder, "classifier.cfg");
        File.WriteAllText(cfg, Classifier);
        return DarknetReference.Get(cfg);
    }

    /// <summary>Where each connected layer's matrix starts in the float stream of <see cref="Classifier"/>, from the
    /// layer sizes of the cfg: the first reads a 300-value (12×5×5) input into 24 outputs, the second 24 into 12.</summary>
    private static List<(int Start, int Outputs, int Inputs)> ConnectedOffsets(string cfg, int total)
    {
        _ = cfg;
        // After the convolutions: 24 biases, then the 24×300 matrix; then 3×24 batch-norm values, 12 biases, 12×24 matrix.
        var second = total - 12 * 24;
        var first = second - 12 - 3 * 24 - 24 * 300;
        return [(first, 24, 300), (second, 12, 24)];
    }

    private static void AssertMatches(DarknetReference reference, DarknetImportResult result, string folder)
    {
        var onnx = Path.Combine(folder, Guid.NewGuid().ToString("N")[..8] + ".onnx");
        result.Model.Save(onnx);
        using var session = ModelSession.Open(onnx, new SessionSettings { DynamicBatch = false });
        var input = reference.Tensors.Single(t => t.Layer == -1);
        var outputs = session.Run(DarknetImporter.InputName, input.Values, [1, input.C, input.H, input.W]);
        var heads = reference.Tensors.Where(t => t.Layer >= 0).ToList();
        var expected = heads.Count > 0
            ? heads.Select(h => ($"region_{h.Layer}", h.Values)).ToList()
            : [("output", reference.Tensors.Single(t => t.Layer == -2).Values)];
        foreach (var (name, values) in expected)
        {
            var actual = outputs.Single(o => o.Name == name).AsFloats();
            Assert.Equal(values.Length, actual.Length);
            var largest = values.Max(v => Math.Abs((double)v));
            Assert.True(largest > 0);
            for (var i = 0; i < values.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - actual[i]) <= 1e-3 * largest, $"{name}[{i}]: darknet {values[i]}, onnx {actual[i]}");
            }
        }
    }
}
