using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.ImageClassification"/> models through <see cref="ImageClassifier"/>.</summary>
public sealed class ClassificationEndpoint : ITaskEndpoint
{
    /// <inheritdoc />
    public ModelTask Task => ModelTask.ImageClassification;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(ImageClassifier.Open(model, new ImageTaskOptions { Session = session }));

    private sealed class Runner(ImageClassifier classifier) : ITaskRunner<ClassificationResult>
    {
        public ModelCard Card => classifier.Card;

        public IReadOnlyList<ClassificationResult> Predict(IReadOnlyList<PredictRequest> batch)
        {
            var images = new RgbImage[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                images[i] = batch[i].Input.RequireImage();
            }
            // One inference for the whole batch at the largest K asked for; each request then keeps its own K.
            var top = Math.Clamp(batch.Max(r => r.Options.TopOr(PredictOptions.DefaultTop)), 1, classifier.Labels.Count);
            var rows = classifier.Classify(images, top);
            var results = new ClassificationResult[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var options = batch[i].Options;
                results[i] = new ClassificationResult(rows[i].Where(p => p.Score >= options.MinScoreOr(0f)).Take(options.TopOr(PredictOptions.DefaultTop)).ToList());
            }
            return results;
        }

        public void Dispose() => classifier.Dispose();
    }
}
