using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Onnx;

/// <summary>The card's <see cref="OutputSpec.FeatureTensor"/> decides the headless cut; the graph walk is the fallback.</summary>
public sealed class DeclaredFeatureTensorTests
{
    private static readonly ModelCatalog Builtin = ModelCatalog.LoadBuiltin();

    [Fact]
    public void MobileNet_int8_is_cut_where_its_card_says_and_the_walk_agrees()
    {
        var card = Builtin.Get("imagenet/mobilenet_v2_int8/classification");
        Assert.Equal("464_quantized", card.Output!.FeatureTensor);
        var original = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));

        var declared = HeadlessCutter.Cut(original, card);
        var detected = HeadlessCutter.Cut(original);

        Assert.Equal(CutPointSource.Card, declared.Source);
        Assert.Equal(CutPointSource.Detected, detected.Source);
        Assert.Equal(detected.FeatureTensor, declared.FeatureTensor);
        Assert.Equal(1280, declared.FeatureSize);
        Assert.Equal(detected.Model.OperatorCounts, declared.Model.OperatorCounts);
    }

    [Fact]
    public async Task ResNet18_feature_vector_card_names_its_pooled_tensor()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get("imagenet/resnet18/feature_vector");
        var local = await store.OpenAsync(card);
        var original = OnnxModel.Load(local.ModelPath);

        var headless = HeadlessCutter.Cut(original, card);

        Assert.Equal(CutPointSource.Card, headless.Source);
        Assert.Equal("Pooling395_Output_0", headless.FeatureTensor);
        Assert.Equal(512, headless.FeatureSize);
    }

    [Fact]
    public void An_explicit_tensor_wins_over_the_card_and_a_card_without_one_falls_back_to_the_walk()
    {
        var card = Builtin.Get("imagenet/mobilenet_v2_int8/classification");
        var original = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));

        var requested = HeadlessCutter.Cut(original, card, at: "464_quantized");
        var undeclared = HeadlessCutter.Cut(original, card with { Output = card.Output! with { FeatureTensor = null } });

        Assert.Equal(CutPointSource.Requested, requested.Source);
        Assert.Equal(CutPointSource.Detected, undeclared.Source);
        Assert.Equal("464_quantized", undeclared.FeatureTensor);
    }

    [Fact]
    public void A_card_naming_a_tensor_the_graph_does_not_compute_is_refused_with_its_handle()
    {
        var card = Builtin.Get("imagenet/mobilenet_v2_int8/classification");
        var original = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        var wrong = card with { Output = card.Output! with { FeatureTensor = "no_such_tensor" } };

        var ex = Assert.Throws<ZooException>(() => HeadlessCutter.Cut(original, wrong));

        Assert.Equal(ZooErrors.HeadlessTensorMissing.Code, ex.Code);
        Assert.Contains(card.Handle, ex.Message, StringComparison.Ordinal);
        Assert.Contains("OutputSpec.FeatureTensor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validator_accepts_a_feature_tensor_only_on_classifiers_and_feature_extractors()
    {
        var classifier = Builtin.Get("imagenet/mobilenet_v2_int8/classification");
        Assert.Empty(ModelCardValidator.Validate(classifier));
        Assert.Contains(ModelCardValidator.Validate(classifier with { Output = classifier.Output! with { FeatureTensor = " " } }),
            p => p.StartsWith("output.featureTensor must name a tensor", StringComparison.Ordinal));

        var detector = Builtin.Cards.First(c => c.Task == ModelTask.ObjectDetection);
        var problems = ModelCardValidator.Validate(detector with { Output = detector.Output! with { FeatureTensor = "pooled" } });
        Assert.Contains(problems, p => p.StartsWith("output.featureTensor applies to", StringComparison.Ordinal));
    }

    [Fact]
    public void The_feature_tensor_survives_the_json_round_trip()
    {
        var card = Builtin.Get("imagenet/resnet18/feature_vector");
        var json = ModelCardJson.Serialize(card);
        Assert.Contains("\"featureTensor\": \"Pooling395_Output_0\"", json, StringComparison.Ordinal);
        Assert.Equal("Pooling395_Output_0", ModelCardJson.Deserialize(json, "round-trip").Output!.FeatureTensor);
    }
}
