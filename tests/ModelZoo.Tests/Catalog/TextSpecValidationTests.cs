using ModelZoo.Catalog;

namespace ModelZoo.Tests.Catalog;

public sealed class TextSpecValidationTests
{
    private static readonly ModelCard MiniLm = ModelCatalog.LoadBuiltin().Get("text/all-minilm-l6-v2/embedding");

    [Fact]
    public void MiniLM_card_declares_its_vocabulary_and_256_token_limit()
    {
        Assert.Empty(ModelCardValidator.Validate(MiniLm));
        Assert.Equal(new TextSpec { VocabFile = "vocab.txt", MaxTokens = 256, Lowercase = true }, MiniLm.Text);
    }

    [Fact]
    public void A_text_embedding_card_without_a_text_section_is_invalid()
    {
        var problems = ModelCardValidator.Validate(MiniLm with { Text = null });
        Assert.Contains(problems, p => p.StartsWith("text ", StringComparison.Ordinal) && p.Contains("required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("missing.txt", 256, "names no file")]
    [InlineData("model.onnx", 256, "must have role 'vocab'")]
    [InlineData("vocab.txt", 2, "out of range")]
    [InlineData("vocab.txt", 100000, "out of range")]
    public void A_bad_text_section_is_reported_by_field(string vocab, int maxTokens, string expected)
    {
        var problems = ModelCardValidator.Validate(MiniLm with { Text = new TextSpec { VocabFile = vocab, MaxTokens = maxTokens } });
        Assert.Contains(problems, p => p.StartsWith("text.", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_text_section_survives_the_json_round_trip_and_unknown_fields_are_errors()
    {
        var json = ModelCardJson.Serialize(MiniLm);
        Assert.Contains("\"maxTokens\": 256", json);
        Assert.Equal(MiniLm.Text, ModelCardJson.Deserialize(json, "round-trip").Text);
        var misspelt = json.Replace("\"maxTokens\"", "\"maxTokenz\"", StringComparison.Ordinal);
        Assert.Throws<InvalidModelCardException>(() => ModelCardJson.Deserialize(misspelt, "misspelt.json"));
    }
}
