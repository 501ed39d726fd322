namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.TextEmbedding"/> models through <see cref="TextEmbedder"/>: the request body is one
/// UTF-8 text; the texts of a micro-batch go through the model together.</summary>
public sealed class TextEmbeddingEndpoint : ITaskEndpoint
{
    /// <inheritdoc />
    public ModelTask Task => ModelTask.TextEmbedding;

    /// <inheritdoc />
    public TaskInput Input => TaskInput.Text;

    /// <inheritdoc />
    public JsonObject JsonSchema() => ResultSchema.Object("The text's embedding.",
        ResultSchema.Required("vector", ResultSchema.Vector("The model's embedding of the text.")),
        ResultSchema.Required("truncated", ResultSchema.Boolean("Whether the text was longer than the model reads and was cut.")),
        ResultSchema.Required("tokenCount", ResultSchema.Integer("Tokens the model read.")));

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(TextEmbedder.Open(model, new TextEmbedderOptions { Session = session }));

    private sealed class Runner(TextEmbedder embedder) : ITaskRunner<TextEmbeddingResult>
    {
        public ModelCard Card => embedder.Card;

        public IReadOnlyList<TextEmbeddingResult> Predict(IReadOnlyList<PredictRequest> batch) => embedder
            .EmbedWithDetails(batch.Select(r => r.Input.RequireText()).ToList())
            .Select(e => new TextEmbeddingResult(e.Vector, e.Truncated, e.TokenCount))
            .ToArray();

        public void WriteJson(Utf8JsonWriter writer, TextEmbeddingResult result)
        {
            writer.WriteStartArray("vector");
            foreach (var value in result.Vector)
            {
                writer.WriteNumberValue(value);
            }
            writer.WriteEndArray();
            writer.WriteBoolean("truncated", result.Truncated);
            writer.WriteNumber("tokenCount", result.TokenCount);
        }

        // A text has no pixels.
        public TextEmbeddingResult ToSource(TextEmbeddingResult result, float scaleX, float scaleY) => result;

        public void Dispose() => embedder.Dispose();
    }
}
