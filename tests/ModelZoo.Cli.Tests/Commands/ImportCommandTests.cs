using ModelZoo.Onnx;
using ModelZoo.Tests.Import;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class ImportCommandTests
{
    [Fact]
    public void Import_tfjs_writes_the_onnx_file_and_prints_op_counts()
    {
        using var home = new TempHome();
        var source = new TfjsModelWriter().Placeholder("x", "DT_FLOAT", 1, 4).Const("w", [1f, 2f, 3f, 4f], 4, 1)
            .Node("y", "MatMul", ["x", "w"], TfjsModelWriter.Attrs(("transpose_a", new System.Text.Json.Nodes.JsonObject { ["b"] = false })))
            .Save(Path.Combine(home.Path, "m"));
        var target = Path.Combine(home.Path, "out", "m.onnx");

        var result = CliRunner.Run(home.Settings(), "import", "tfjs", source, "--out", target);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("MatMul", result.AllText);
        Assert.Equal("y", Assert.Single(OnnxModel.Load(target).Outputs).Name);
    }

    [Fact]
    public void Import_tfjs_lists_every_unsupported_node_and_exits_1()
    {
        using var home = new TempHome();
        var source = new TfjsModelWriter().Placeholder("x", "DT_FLOAT", 4)
            .Node("loop", "LoopCond", ["x"]).Node("nms", "NonMaxSuppressionV3", ["x"]).Node("z", "AddV2", ["loop", "nms"])
            .Save(home.Path);

        var result = CliRunner.Run(home.Settings(), "import", "tfjs", source);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("LoopCond (1 node(s)", result.AllText);
        Assert.Contains("NonMaxSuppressionV3 (1 node(s)", result.AllText);
        Assert.Contains("nms", result.AllText);
        Assert.False(File.Exists(Path.ChangeExtension(source, ".onnx")));
    }
}
