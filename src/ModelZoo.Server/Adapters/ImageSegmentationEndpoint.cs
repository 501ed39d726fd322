using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.ImageSegmentation"/> models through <see cref="Segmenter"/>: <c>min_score</c> is the
/// probability a pixel needs to be in a mask (default 0.5, as <c>zoo segment</c>).</summary>
public sealed class ImageSegmentationEndpoint : ITaskEndpoint
{
    /// <summary>Mask threshold when the client does not say.</summary>
    public const float DefaultThreshold = 0.5f;

    /// <inheritdoc />
    public ModelTask Task => ModelTask.ImageSegmentation;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(Segmenter.Open(model, new ImageTaskOptions { Session = session }));

    private sealed class Runner(Segmenter segmenter) : ITaskRunner
    {
        public ModelCard Card => segmenter.Card;

        public IReadOnlyList<object> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request => (object)new SegmentationResult(
            segmenter.Segment(request.Input.RequireImage(), new SegmentationOptions { Threshold = request.Options.MinScoreOr(DefaultThreshold) })))
            .ToArray();

        public void Dispose() => segmenter.Dispose();
    }
}
