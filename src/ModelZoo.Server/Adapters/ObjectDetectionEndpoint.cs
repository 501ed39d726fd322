using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.ObjectDetection"/> models through <see cref="ObjectDetector"/>: <c>top</c> caps the
/// boxes, <c>min_score</c> is the score threshold (defaults: <see cref="DetectionOptions"/>'s, as <c>zoo detect</c>).</summary>
public sealed class ObjectDetectionEndpoint : ITaskEndpoint
{
    private static readonly DetectionOptions Defaults = new();

    /// <inheritdoc />
    public ModelTask Task => ModelTask.ObjectDetection;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(ObjectDetector.Open(model, new ImageTaskOptions { Session = session }));

    // The detector decodes one image per inference (letterbox transforms and NMS are per image), so a batch runs in turn.
    private sealed class Runner(ObjectDetector detector) : ITaskRunner<DetectionResult>
    {
        public ModelCard Card => detector.Card;

        public IReadOnlyList<DetectionResult> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var options = Defaults with
            {
                ScoreThreshold = request.Options.MinScoreOr(Defaults.ScoreThreshold),
                MaxDetections = request.Options.TopOr(Defaults.MaxDetections),
            };
            return new DetectionResult(detector.Detect(request.Input.RequireImage(), options));
        }).ToArray();

        public void Dispose() => detector.Dispose();
    }
}
