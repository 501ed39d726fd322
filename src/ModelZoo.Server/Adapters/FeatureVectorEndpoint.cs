using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.ImageFeatureVector"/> models through <see cref="FeatureExtractor"/>.</summary>
public sealed class FeatureVectorEndpoint : ITaskEndpoint
{
    /// <inheritdoc />
    public ModelTask Task => ModelTask.ImageFeatureVector;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(FeatureExtractor.Open(model, new ImageTaskOptions { Session = session }));

    private sealed class Runner(FeatureExtractor extractor) : ITaskRunner<FeatureVectorResult>
    {
        public ModelCard Card => extractor.Card;

        public IReadOnlyList<FeatureVectorResult> Predict(IReadOnlyList<PredictRequest> batch)
        {
            var images = new RgbImage[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                images[i] = batch[i].Input.RequireImage();
            }
            return extractor.Extract(images).Select(v => new FeatureVectorResult(v)).ToArray();
        }

        public void Dispose() => extractor.Dispose();
    }
}
