using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Serves OCR through <see cref="TextSpotter"/>. A pipeline is named by its <see cref="ModelTask.TextDetection"/> card
/// (<c>ocr/ppocrv4/det</c>): the recogniser and direction classifier that <see cref="TextSpotterModels.Resolve"/> pairs
/// with it are loaded alongside. <c>min_score</c> drops lines read with less confidence (the pipeline already drops
/// those under 0.5).
/// </summary>
public sealed class OcrEndpoint : ITaskEndpoint
{
    /// <inheritdoc />
    public ModelTask Task => ModelTask.TextDetection;

    /// <inheritdoc />
    public TaskInput Input => TaskInput.Image;

    /// <inheritdoc />
    public JsonObject JsonSchema() => ResultSchema.Object("Lines of text read in the image.", ResultSchema.Lines());

    /// <inheritdoc />
    public IReadOnlyList<ModelCard> Companions(ModelCard card, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(card);
        var models = TextSpotterModels.Resolve(catalog, card.Handle);
        return models.Cards.Skip(1).ToList();
    }

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) => throw new ZooUsageException(
        $"'{model.Card.Handle}' is one part of an OCR pipeline and needs its recogniser; open it through the server's model pool.");

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, IReadOnlyList<LocalModel> companions, SessionSettings session)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(companions);
        if (companions.Count is < 1 or > 2)
        {
            throw new ZooUsageException(
                $"the OCR pipeline of '{model.Card.Handle}' needs a recogniser and optionally a direction classifier, got {companions.Count} companion models; check the catalog's OCR cards.");
        }
        var spotter = TextSpotter.Open(model, companions[0], companions.Count > 1 ? companions[1] : null, new TextSpotterOptions { Session = session });
        return new Runner(spotter, model.Card);
    }

    private sealed class Runner(TextSpotter spotter, ModelCard card) : ITaskRunner<TextSpottingResult>
    {
        public ModelCard Card => card;

        public IReadOnlyList<TextSpottingResult> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var lines = spotter.Read(request.Input.RequireImage()).Lines;
            var min = request.Options.MinScoreOr(0f);
            return new TextSpottingResult(min > 0f ? lines.Where(l => l.Confidence >= min).ToList() : lines);
        }).ToArray();

        public void WriteJson(Utf8JsonWriter writer, TextSpottingResult result) => ResultJson.WriteLines(writer, result.Lines);

        public TextSpottingResult ToSource(TextSpottingResult result, float scaleX, float scaleY)
        {
            IReadOnlyList<TextPoint> Polygon(IReadOnlyList<TextPoint> points) => points.Select(p => new TextPoint(p.X * scaleX, p.Y * scaleY)).ToList();
            return new TextSpottingResult(result.Lines.Select(l => l with
            {
                Polygon = Polygon(l.Polygon),
                Words = l.Words.Select(w => w with { Polygon = w.Polygon is { } p ? Polygon(p) : null }).ToList(),
            }).ToList());
        }

        public void Dispose() => spotter.Dispose();
    }
}
