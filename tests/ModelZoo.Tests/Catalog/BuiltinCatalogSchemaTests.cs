using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Tests.Catalog;

/// <summary>One parameterised check over every built-in card (in the spirit of torchvision's schema test).</summary>
public sealed partial class BuiltinCatalogSchemaTests
{
    private static readonly ModelCatalog Builtin = ModelCatalog.LoadBuiltin();

    public static TheoryData<string> Handles()
    {
        var data = new TheoryData<string>();
        foreach (var card in ModelCatalog.LoadBuiltin().Cards)
        {
            data.Add(card.Handle);
        }
        return data;
    }

    [Fact]
    public void Catalog_has_the_required_cards_and_enough_internet_models()
    {
        string[] required =
        [
            "imagenet/resnet18/feature_vector", "imagenet/mobilenet_v2_int8/classification", "ocr/ppocrv4/det", "ocr/ppocrv4/rec",
            "ocr/ppocr_mobile_v2/cls", "text/all-minilm-l6-v2/embedding", "face/blazeface/front_128", "face/blazeface/back_256",
        ];
        foreach (var handle in required)
        {
            Assert.True(Builtin.TryGet(handle, out _), $"missing built-in card {handle}");
        }
        var internet = Builtin.Cards.Count(c => c.Files.All(f => f.Source.StartsWith("https://", StringComparison.Ordinal)));
        Assert.True(internet >= 21, $"only {internet} internet cards");
    }

    [Fact]
    public void Every_embedded_json_resource_is_loaded_once_and_handles_are_unique()
    {
        var resources = typeof(ModelCatalog).Assembly.GetManifestResourceNames()
            .Count(n => n.StartsWith("ModelZoo.Catalog.Builtin.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal));
        Assert.Equal(resources, Builtin.Cards.Count);
        Assert.Equal(Builtin.Cards.Count, Builtin.Cards.Select(c => c.Handle).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Handles))]
    public void Card_meets_the_schema(string handle)
    {
        var card = Builtin.Get(handle);

        Assert.Empty(ModelCardValidator.Validate(card));
        Assert.Matches(ThreeSegmentHandle(), card.Handle);
        Assert.False(string.IsNullOrWhiteSpace(card.Title), "title");
        Assert.False(string.IsNullOrWhiteSpace(card.Description), "description");
        Assert.False(string.IsNullOrWhiteSpace(card.License.Spdx), "license.spdx");
        Assert.NotNull(card.Provenance);
        Assert.False(string.IsNullOrWhiteSpace(card.Provenance!.Notes), "provenance.notes");

        Assert.NotEmpty(card.Files);
        Assert.Equal(card.Files.Count, card.Files.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var file in card.Files)
        {
            var source = ModelSource.Parse(file.Source);
            Assert.IsNotType<FileSource>(source);
            Assert.Matches(LowerHex64(), file.Sha256);
            Assert.True(file.Size > 0, $"{file.Name} size");
        }
        Assert.Equal("model", card.ModelFile.Role);

        if (ModelCardValidator.IsImageTask(card.Task))
        {
            var input = Assert.IsType<InputSpec>(card.Input);
            Assert.True(input.Width > 0 && input.Height > 0);
            Assert.Contains(input.Mean.Count, new[] { 1, 3 });
            Assert.Contains(input.Std.Count, new[] { 1, 3 });
        }
        if (card.Task == ModelTask.ImageClassification)
        {
            Assert.NotNull(card.Labels);
            Assert.NotNull(card.Output);
            Assert.Contains(card.Output!.Kind, new[] { OutputKind.Logits, OutputKind.Probabilities, OutputKind.Sigmoid });
        }
        if (card.Task is ModelTask.ImageFeatureVector or ModelTask.TextEmbedding)
        {
            Assert.True(card.Output?.Size > 0, "output.size");
        }
        if (card.Task == ModelTask.TextEmbedding)
        {
            var text = Assert.IsType<TextSpec>(card.Text);
            Assert.Equal("vocab", card.Files.Single(f => f.Name == text.VocabFile).Role);
            Assert.InRange(text.MaxTokens, 3, 8192);
        }
        if (card.Labels is { } labels && labels.Source.StartsWith(LabelSets.BuiltinPrefix, StringComparison.Ordinal))
        {
            var names = LabelSets.Load(labels);
            if (labels.Count is { } count)
            {
                Assert.Equal(count, names.Count + labels.Offset);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Handles))]
    public void Card_json_round_trip_is_lossless(string handle)
    {
        var origin = Builtin.OriginOf(handle)!;
        string original;
        using (var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream(origin)!)
        using (var reader = new StreamReader(stream))
        {
            original = reader.ReadToEnd();
        }
        var card = ModelCardJson.Deserialize(original, origin);
        var written = ModelCardJson.Serialize(card);
        var again = ModelCardJson.Serialize(ModelCardJson.Deserialize(written, "round-trip"));
        Assert.Equal(written, again);

        // Every value in the shipped file survives (numbers compared as the float32/int64 the records hold).
        AssertContained(JsonNode.Parse(original)!, JsonNode.Parse(written)!, "$");
    }

    private static void AssertContained(JsonNode expected, JsonNode actual, string path)
    {
        switch (expected)
        {
            case JsonObject obj:
                var actualObj = Assert.IsType<JsonObject>(actual);
                foreach (var (key, child) in obj)
                {
                    Assert.True(actualObj.ContainsKey(key), $"{path}.{key} was dropped");
                    if (child is not null)
                    {
                        AssertContained(child, actualObj[key]!, $"{path}.{key}");
                    }
                }
                break;
            case JsonArray array:
                var actualArray = Assert.IsType<JsonArray>(actual);
                Assert.Equal(array.Count, actualArray.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    AssertContained(array[i]!, actualArray[i]!, $"{path}[{i}]");
                }
                break;
            default:
                var value = expected.AsValue();
                if (value.TryGetValue(out double number))
                {
                    Assert.Equal((float)number, (float)actual.AsValue().GetValue<double>());
                }
                else
                {
                    Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
                }
                break;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*){2}$")]
    private static partial Regex ThreeSegmentHandle();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex LowerHex64();
}
