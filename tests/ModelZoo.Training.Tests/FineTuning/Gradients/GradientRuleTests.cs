using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;
using ModelZoo.Training.FineTuning.Gradients;
using static ModelZoo.Training.FineTuning.Gradients.GraphEmitter;

namespace ModelZoo.Training.Tests.FineTuning.Gradients;

/// <summary>
/// Every gradient rule against central finite differences: the generated backward graph runs in ONNX Runtime, the
/// numerical gradient comes from the forward graph in ONNX Runtime, for loss = Σ output · seed with a random seed.
/// </summary>
public sealed class GradientRuleTests
{
    private const float Step = 1e-2f;

    [Fact]
    public void Conv_with_bias_padding_1()
    {
        Check(new TestGraph().Input("x", [2, 3, 5, 5], 1).Input("w", [4, 3, 3, 3], 2, 0.5f).Input("b", [4], 3)
            .Node("Conv", ["x", "w", "b"], "y", Ints("pads", [1, 1, 1, 1])), "x", "w", "b");
    }

    [Fact]
    public void Conv_stride_2_with_asymmetric_pads_like_resnet()
    {
        Check(new TestGraph().Input("x", [2, 3, 6, 6], 4).Input("w", [4, 3, 3, 3], 5, 0.5f)
            .Node("Conv", ["x", "w"], "y", Ints("pads", [1, 1, 0, 0]), Ints("strides", [2, 2])), "x", "w");
    }

    [Fact]
    public void Conv_stride_2_whose_last_input_row_is_not_read()
    {
        Check(new TestGraph().Input("x", [2, 2, 6, 6], 6).Input("w", [3, 2, 3, 3], 7, 0.5f)
            .Node("Conv", ["x", "w"], "y", Ints("strides", [2, 2])), "x", "w");
    }

    [Fact]
    public void Conv_dilated()
    {
        Check(new TestGraph().Input("x", [2, 2, 7, 7], 8).Input("w", [3, 2, 3, 3], 9, 0.5f)
            .Node("Conv", ["x", "w"], "y", Ints("dilations", [2, 2]), Ints("pads", [1, 2, 1, 0])), "x", "w");
    }

    [Fact]
    public void Conv_same_upper_stride_2()
    {
        // ONNX Runtime runs SAME padding only without dilation.
        Check(new TestGraph().Input("x", [2, 2, 6, 6], 8).Input("w", [3, 2, 3, 3], 9, 0.5f)
            .Node("Conv", ["x", "w"], "y", Ints("strides", [2, 2]),
                new AttributeProto { Name = "auto_pad", S = Google.Protobuf.ByteString.CopyFromUtf8("SAME_UPPER"), Type = AttributeProto.Types.AttributeType.String }), "x", "w");
    }

    [Fact]
    public void Conv_depthwise_with_multiplier_2()
    {
        Check(new TestGraph().Input("x", [2, 3, 6, 6], 10).Input("w", [6, 1, 3, 3], 11, 0.5f).Input("b", [6], 12)
            .Node("Conv", ["x", "w", "b"], "y", Ints("pads", [1, 1, 1, 1]), Ints("strides", [2, 2]), Int("group", 3)), "x", "w", "b");
    }

    [Fact]
    public void Conv_pointwise_1x1()
    {
        Check(new TestGraph().Input("x", [2, 4, 3, 3], 13).Input("w", [2, 4, 1, 1], 14)
            .Node("Conv", ["x", "w"], "y"), "x", "w");
    }

    [Fact]
    public void BatchNormalization_in_inference_mode()
    {
        Check(new TestGraph().Input("x", [2, 3, 4, 4], 15).Input("scale", [3], 16).Input("bias", [3], 17)
            .Constant("mean", [0.1f, -0.2f, 0.3f], 3).Constant("var", [0.5f, 1.5f, 2f], 3)
            .Node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], "y", Float("epsilon", 1e-3f)), "x", "scale", "bias");
    }

    [Fact]
    public void Relu() => Check(new TestGraph().Input("x", [2, 3, 4], 18, 1f, 0.05f, 0f).Node("Relu", ["x"], "y"), "x");

    [Fact]
    public void Clip_as_relu6() =>
        Check(new TestGraph().Input("x", [2, 3, 4], 19, 8f, 0.05f, 0f, 6f).Constant("lo", [0f]).Constant("hi", [6f])
            .Node("Clip", ["x", "lo", "hi"], "y"), "x");

    [Fact]
    public void LeakyRelu() =>
        Check(new TestGraph().Input("x", [2, 3, 4], 20, 1f, 0.05f, 0f).Node("LeakyRelu", ["x"], "y", Float("alpha", 0.1f)), "x");

    [Fact]
    public void Sigmoid() => Check(new TestGraph().Input("x", [2, 3, 4], 21, 3f).Node("Sigmoid", ["x"], "y"), "x");

    [Fact]
    public void HardSwish() =>
        Check(new TestGraph().Input("x", [2, 3, 8], 22, 5f, 0.05f, -3f, 3f).Node("HardSwish", ["x"], "y"), "x");

    [Fact]
    public void Add_with_broadcasting()
    {
        Check(new TestGraph().Input("x", [2, 3, 4, 4], 23).Input("b", [3, 1, 1], 24).Node("Add", ["x", "b"], "y"), "x", "b");
    }

    [Fact]
    public void Add_of_two_branches_of_the_same_shape()
    {
        Check(new TestGraph().Input("x", [2, 3, 4], 25).Input("z", [2, 3, 4], 26).Node("Add", ["x", "z"], "y"), "x", "z");
    }

    [Fact]
    public void Mul_with_broadcasting()
    {
        Check(new TestGraph().Input("x", [2, 3, 4, 4], 27).Input("s", [1, 3, 1, 4], 28).Node("Mul", ["x", "s"], "y"), "x", "s");
    }

    [Fact]
    public void Sub_with_broadcasting()
    {
        Check(new TestGraph().Input("x", [2, 3, 4], 29).Input("m", [4], 30).Node("Sub", ["x", "m"], "y"), "x", "m");
    }

    [Fact]
    public void GlobalAveragePool() => Check(new TestGraph().Input("x", [2, 3, 4, 5], 31).Node("GlobalAveragePool", ["x"], "y"), "x");

    [Fact]
    public void AveragePool_over_the_whole_map_like_resnet() =>
        Check(new TestGraph().Input("x", [2, 3, 7, 7], 32).Node("AveragePool", ["x"], "y", Ints("kernel_shape", [7, 7])), "x");

    [Fact]
    public void AveragePool_strided_overlapping() =>
        Check(new TestGraph().Input("x", [2, 2, 7, 7], 33).Node("AveragePool", ["x"], "y", Ints("kernel_shape", [3, 3]), Ints("strides", [2, 2])), "x");

    [Fact]
    public void ReduceMean_without_keepdims() =>
        Check(new TestGraph().Input("x", [2, 3, 4, 4], 34).Node("ReduceMean", ["x"], "y", Ints("axes", [2, 3]), Int("keepdims", 0)), "x");

    [Fact]
    public void Flatten_then_Gemm_with_transposed_weight()
    {
        Check(new TestGraph().Input("x", [2, 3, 2, 2], 35).Input("w", [5, 12], 36).Input("b", [5], 37)
            .Node("Flatten", ["x"], "f", Int("axis", 1)).Node("Gemm", ["f", "w", "b"], "y", Int("transB", 1)), "x", "w", "b");
    }

    [Fact]
    public void Gemm_with_alpha_beta_and_plain_weight()
    {
        Check(new TestGraph().Input("x", [2, 4], 38).Input("w", [4, 3], 39).Input("b", [3], 40)
            .Node("Gemm", ["x", "w", "b"], "y", Float("alpha", 0.5f), Float("beta", 2f)), "x", "w", "b");
    }

    [Fact]
    public void Reshape_then_MatMul_on_rank_3()
    {
        Check(new TestGraph().Input("x", [2, 12], 41).Input("w", [4, 5], 42).Longs("shape", 2, 3, 4)
            .Node("Reshape", ["x", "shape"], "r").Node("MatMul", ["r", "w"], "y"), "x", "w");
    }

    [Fact]
    public void Transpose() =>
        Check(new TestGraph().Input("x", [2, 3, 4], 43).Node("Transpose", ["x"], "y", Ints("perm", [2, 0, 1])), "x");

    [Fact]
    public void A_tensor_read_twice_sums_both_gradients()
    {
        // y = relu(conv(x)) + x: the residual pattern of ResNet.
        Check(new TestGraph().Input("x", [2, 3, 4, 4], 44).Input("w", [3, 3, 3, 3], 45, 0.5f)
            .Node("Conv", ["x", "w"], "c", Ints("pads", [1, 1, 1, 1])).Node("Add", ["c", "x"], "y"), "x", "w");
    }

    [Fact]
    public void An_op_without_a_rule_is_named_in_the_error()
    {
        var graph = new TestGraph().Input("x", [2, 3], 46).Node("Tanh", ["x"], "y");
        var forward = graph.Forward();
        var shapes = GraphProbe.Shapes(forward, graph.Feeds(), TestGraph.Settings);
        var ex = Assert.Throws<ZooException>(() => GradientModel.Build(forward, shapes, new Dictionary<string, string> { ["y"] = "x" }, ["x"]));
        Assert.Equal("finetune-op-unsupported", ex.Code);
        Assert.Contains("Tanh node 'y_node'", ex.Message);
        Assert.Contains("TransferOptions.Unfreeze", ex.Message);
    }

    private static void Check(TestGraph graph, params string[] wrt)
    {
        var forward = graph.Forward();
        var shapes = GraphProbe.Shapes(forward, graph.Feeds(), TestGraph.Settings);
        var outShape = shapes[graph.Output];
        var seed = TestGraph.Random(outShape, 99);
        var withSeed = forward.Clone();
        withSeed.Graph.Input.Add(FloatValue("seed", outShape.Select(Dim).ToArray()));
        var backward = GradientModel.Build(withSeed, shapes, new Dictionary<string, string> { [graph.Output] = "seed" }, wrt);

        using var gradientSession = TestGraph.Open(backward);
        var feeds = graph.Feeds().Append(new NamedTensor("seed", seed, outShape)).ToList();
        var analytic = gradientSession.Run(feeds, wrt.Select(w => GradientModel.GradientPrefix + w).ToList());

        using var forwardSession = TestGraph.Open(forward);
        for (var k = 0; k < wrt.Length; k++)
        {
            var name = wrt[k];
            var values = (float[])graph.Inputs[name].Data.Clone();
            Assert.Equal(graph.Inputs[name].Shape, analytic[k].Shape);
            var computed = analytic[k].AsFloats();
            var numeric = new float[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var keep = values[i];
                values[i] = keep + Step;
                var up = Loss(forwardSession, graph, name, values, seed);
                values[i] = keep - Step;
                var down = Loss(forwardSession, graph, name, values, seed);
                values[i] = keep;
                numeric[i] = (float)((up - down) / (2 * Step));
            }

            double diff = 0, norm = 0;
            for (var i = 0; i < numeric.Length; i++)
            {
                diff += Math.Pow(computed[i] - numeric[i], 2);
                norm += Math.Pow(numeric[i], 2);
            }

            var relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-6);
            Assert.True(relative < 2e-3, $"d/d{name}: relative error {relative:E2} (|numeric| = {Math.Sqrt(norm):G4})");
        }
    }

    private static double Loss(ModelSession session, TestGraph graph, string name, float[] values, float[] seed)
    {
        var y = session.Run(graph.Feeds(new Dictionary<string, float[]> { [name] = values }))[0].AsFloats();
        double sum = 0;
        for (var i = 0; i < y.Length; i++)
        {
            sum += (double)y[i] * seed[i];
        }

        return sum;
    }
}
