using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Onnx.Proto;
using ModelZoo.Tests.Onnx;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// A real, tiny image-feature-vector model for the hostile corpus: the mean colour of an 8×8 RGB image
/// (GlobalAveragePool, Flatten), 3 values per image, optionally after multiplying the pixels by a gain twice (a gain
/// of 1e38 makes every feature infinite: a base model whose numbers overflow).
/// </summary>
internal static class MeanColorModel
{
    /// <summary>Writes <c>model.onnx</c> into <paramref name="folder"/> and returns its card (<paramref name="handle"/>, a <c>file:</c> source).</summary>
    public static ModelCard Write(string folder, string handle, float gain = 1f)
    {
        Directory.CreateDirectory(folder);
        var graph = new GraphProto { Name = "mean_color" };
        graph.Input.Add(TestGraphs.TensorValue("image", TestGraphs.Float, "batch", 3L, 8L, 8L));
        graph.Output.Add(TestGraphs.TensorValue("features", TestGraphs.Float, "batch", 3L));
        var pixels = "image";
        if (gain != 1f)
        {
            graph.Initializer.Add(TestGraphs.FloatTensor("gain", [gain]));
            graph.Node.Add(TestGraphs.Node("Mul", ["image", "gain"], ["scaled1"], "scale1"));
            graph.Node.Add(TestGraphs.Node("Mul", ["scaled1", "gain"], ["scaled2"], "scale2"));
            pixels = "scaled2";
        }
        graph.Node.Add(TestGraphs.Node("GlobalAveragePool", [pixels], ["pooled"], "pool"));
        graph.Node.Add(TestGraphs.Node("Flatten", ["pooled"], ["features"], "flatten"));
        var bytes = TestGraphs.Model(graph, opset: 13).ToBytes();
        var path = Path.Combine(folder, "model.onnx");
        File.WriteAllBytes(path, bytes);
        return new ModelCard
        {
            Handle = handle,
            Task = ModelTask.ImageFeatureVector,
            Files = [new ModelFile
            {
                Name = "model.onnx",
                Role = "model",
                Source = "file:" + path,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Size = bytes.Length,
            }],
            License = new LicenseInfo { Spdx = "MIT" },
            Input = new InputSpec { Name = "image", Width = 8, Height = 8 },
            Output = new OutputSpec { Name = "features", Kind = OutputKind.Features, Size = 3 },
        };
    }

    /// <summary>Writes the card into the user catalog of <paramref name="settings"/>.</summary>
    public static void Register(ModelCard card, ZooSettings settings)
    {
        var folder = ModelCatalog.UserFolder(settings);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelCatalog.FileNameOf(card.Handle)), ModelCardJson.Serialize(card));
    }
}
