using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.FineTuning;
using ModelZoo.Training.FineTuning.Gradients;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Tests.FineTuning.Gradients;

namespace ModelZoo.Training.Tests.FineTuning;

/// <summary>The real ResNet-18 (CNTK export, opset 8) split for fine-tuning.</summary>
public sealed class ResNetSplitTests
{
    private const string Handle = "imagenet/resnet18/feature_vector";

    private static async Task<HeadlessModel> Backbone()
    {
        var card = ModelCatalog.LoadBuiltin().Get(Handle);
        using var store = new ModelStore(SharedStore.Settings);
        var local = await store.OpenAsync(card, null, CancellationToken.None);
        return HeadlessCutter.Cut(OnnxModel.Load(local.ModelPath));
    }

    [Fact]
    public async Task Unfreeze_2_trains_the_last_basic_block()
    {
        var suffix = SuffixGraph.Split(await Backbone(), 2, null, TestGraph.Settings);
        var plan = suffix.Plan;
        Assert.Equal("ReLU379_Output_0", plan.CutTensor);
        Assert.Equal([512L, 7, 7], plan.ActivationShape);
        Assert.Equal(["Convolution381", "Convolution387"], plan.WeightLayers);
        Assert.Equal(["Parameter14", "Parameter403", "Parameter404", "Parameter10", "Parameter417", "Parameter418"], plan.Parameters.Select(p => p.Name));
        Assert.Equal((2 * 512 * 512 * 9) + (4 * 512), plan.ParameterCount);
        Assert.Equal(new Dictionary<string, int>
        {
            ["Conv"] = 2, ["BatchNormalization"] = 2, ["Relu"] = 2, ["Add"] = 1, ["AveragePool"] = 1, ["Flatten"] = 1,
        }, plan.SuffixOps);
    }

    [Fact]
    public async Task Unfreeze_3_moves_the_split_back_to_the_start_of_the_block()
    {
        var backbone = await Backbone();
        var three = SuffixGraph.Split(backbone, 3, null, TestGraph.Settings).Plan;
        var four = SuffixGraph.Split(backbone, 4, null, TestGraph.Settings).Plan;
        Assert.Equal("ReLU365_Output_0", three.CutTensor);
        Assert.Equal(four.CutTensor, three.CutTensor);
        Assert.Equal(4, three.WeightLayers.Count);
        var from = SuffixGraph.Split(backbone, null, "ReLU365_Output_0", TestGraph.Settings).Plan;
        Assert.Equal(four.WeightLayers, from.WeightLayers);
    }

    [Fact]
    public async Task A_tensor_inside_a_residual_block_is_refused_with_valid_split_points()
    {
        var backbone = await Backbone();
        var ex = Assert.Throws<ZooUsageException>(() => SuffixGraph.Split(backbone, null, "ReLU385_Output_0", TestGraph.Settings));
        Assert.Contains("'ReLU379_Output_0'", ex.Message);
        Assert.Throws<ZooUsageException>(() => SuffixGraph.Split(backbone, 100, null, TestGraph.Settings));
    }

    [Fact]
    public async Task The_split_and_rejoined_graph_computes_the_original_features_within_1e4()
    {
        var backbone = await Backbone();
        var suffix = SuffixGraph.Split(backbone, 4, null, TestGraph.Settings);
        var input = backbone.Model.Inputs[0];
        var pixels = TestGraph.Random([2, 3, 224, 224], 5, 2f);
        long[] shape = [2, 3, 224, 224];

        using var whole = ModelSession.Open(backbone.Model.ToBytes(), TestGraph.Settings);
        var expected = whole.Run(input.Name, pixels, shape)[0].AsFloats();

        var prefix = suffix.Prefix();
        Assert.Equal(512 * 7 * 7, prefix.FeatureSize);
        using var head = ModelSession.Open(prefix.Model.ToBytes(), TestGraph.Settings);
        var activations = head.Run(input.Name, pixels, shape)[0].AsFloats();

        using var tail = ModelSession.Open(suffix.BuildModel(null, training: false).ToBytes(), TestGraph.Settings);
        var values = suffix.InitialValues();
        var feeds = new List<NamedTensor> { new(SuffixGraph.ActivationsInput, activations, [2, 512, 7, 7]) };
        feeds.AddRange(suffix.Plan.Parameters.Select((p, i) => new NamedTensor(p.Name, values[i], [.. p.Dims])));
        var actual = tail.Run(feeds)[0].AsFloats();

        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"largest feature difference {worst}");
    }

    [Fact]
    public async Task Training_steps_on_one_batch_lower_its_loss()
    {
        var suffix = SuffixGraph.Split(await Backbone(), 2, null, TestGraph.Settings);
        var random = new SplitMix64(3);
        var weight = new float[3 * 512];
        random.FillUniform(weight, 0.05f);
        var head = new ClassificationHead(HeadKind.Linear, [new HeadLayer(weight, 3, 512, new float[3], HeadActivation.None)]);
        using var session = new FineTuneSession(suffix, head, TestGraph.Settings);
        var activations = TestGraph.Random([4, 512, 7, 7], 9);
        for (var i = 0; i < activations.Length; i++)
        {
            activations[i] = Math.Max(0, activations[i]);
        }

        int[] labels = [0, 1, 2, 1];
        var targets = new float[4 * 3];
        for (var i = 0; i < 4; i++)
        {
            targets[(i * 3) + labels[i]] = 1;
        }

        float[] weights = [0.25f, 0.25f, 0.25f, 0.25f];
        var optimizer = new ModelZoo.Training.Optimizers.AdamOptimizer(1e-3f);
        var first = ModelZoo.Training.Metrics.Losses.SoftmaxCrossEntropy(session.Step(activations, 4, targets, weights), labels, 3);
        Assert.Equal(session.Parameters.Count, suffix.Plan.Parameters.Count + 2);
        Assert.All(session.Parameters, p => Assert.Contains(p.Gradient, g => g != 0));
        for (var step = 0; step < 5; step++)
        {
            optimizer.Step(session.Parameters);
            session.Step(activations, 4, targets, weights);
        }

        var last = ModelZoo.Training.Metrics.Losses.SoftmaxCrossEntropy(session.Logits(activations, 4), labels, 3);
        Assert.True(first - last > 0.03, $"loss {first} -> {last}");
    }
}
