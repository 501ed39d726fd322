using ModelZoo.Onnx;
using ModelZoo.Training.FineTuning;
using ModelZoo.Training.Tests.FineTuning.Gradients;
using static ModelZoo.Training.FineTuning.Gradients.GraphEmitter;

namespace ModelZoo.Training.Tests.FineTuning;

public sealed class SuffixGraphTests
{
    /// <summary>x → Conv → Tanh → Conv → Relu → GlobalAveragePool: a feature extractor with an op that has no gradient rule.</summary>
    private static HeadlessModel WithTanh()
    {
        var graph = new TestGraph().Input("x", [1, 3, 8, 8], 1)
            .Constant("w1", TestGraph.Random([4, 3, 3, 3], 2), 4, 3, 3, 3)
            .Constant("w2", TestGraph.Random([5, 4, 3, 3], 3), 5, 4, 3, 3)
            .Node("Conv", ["x", "w1"], "c1", Ints("pads", [1, 1, 1, 1]))
            .Node("Tanh", ["c1"], "t")
            .Node("Conv", ["t", "w2"], "c2", Ints("pads", [1, 1, 1, 1]))
            .Node("Relu", ["c2"], "r")
            .Node("GlobalAveragePool", ["r"], "pooled");
        return HeadlessCutter.Cut(OnnxModel.FromProto(graph.Forward()));
    }

    [Fact]
    public void An_op_without_a_gradient_rule_behind_the_split_is_named_with_a_smaller_unfreeze()
    {
        var ex = Assert.Throws<ZooException>(() => SuffixGraph.Split(WithTanh(), 2, null, TestGraph.Settings));
        Assert.Equal("finetune-op-unsupported", ex.Code);
        Assert.Contains("Tanh node 't_node'", ex.Message);
        Assert.Contains("TransferOptions.Unfreeze = 1", ex.Message);
        Assert.Contains("'t'", ex.Message);
    }

    [Fact]
    public void Splitting_after_it_works()
    {
        var plan = SuffixGraph.Split(WithTanh(), 1, null, TestGraph.Settings).Plan;
        Assert.Equal("t", plan.CutTensor);
        Assert.Equal([4L, 8, 8], plan.ActivationShape);
        Assert.Equal(["w2"], plan.Parameters.Select(p => p.Name));
    }
}
