using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.ObjectDetection"/> models through <see cref="ObjectDetector"/>: <c>top</c> caps the
/// boxes (default 100), <c>min_score</c> is the score threshold (default 0.25, as <c>zoo detect</c>).</summary>
public sealed class ObjectDetectionEndpoint : ITaskEndpoint
{
    /// <summary>Boxes returned at most when the client does not say.</summary>
    public const int DefaultMaxDetections = 100;

    /// <summary>Score threshold when the client does not say.</summary>
    public const float DefaultMinScore = 0.25f;

    /// <inheritdoc />
    public ModelTask Task => ModelTask.ObjectDetection;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(ObjectDetector.Open(model, new ImageTaskOptions { Session = session }));

    // The detector decodes one image per inference (letterbox transforms and NMS are per image), so a batch runs in turn.
    private sealed class Runner(ObjectDetector detector) : ITaskRunner
    {
        public ModelCard Card => detector.Card;

        public IReadOnlyList<object> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var options = new DetectionOptions
            {
                ScoreThreshold = request.Options.MinScoreOr(DefaultMinScore),
                MaxDetections = request.Options.TopOr(DefaultMaxDetections),
            };
            return (object)new DetectionResult(detector.Detect(request.Input.RequireImage(), options));
        }).ToArray();

        public void Dispose() => detector.Dispose();
    }
}
