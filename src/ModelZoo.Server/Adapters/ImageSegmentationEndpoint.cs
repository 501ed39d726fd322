using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.ImageSegmentation"/> models through <see cref="Segmenter"/>: <c>min_score</c> is the
/// probability a pixel needs to be in a mask (default: <see cref="SegmentationOptions"/>'s, as <c>zoo segment</c>).</summary>
public sealed class ImageSegmentationEndpoint : ITaskEndpoint
{
    private static readonly SegmentationOptions Defaults = new();

    /// <inheritdoc />
    public ModelTask Task => ModelTask.ImageSegmentation;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(Segmenter.Open(model, new ImageTaskOptions { Session = session }));

    private sealed class Runner(Segmenter segmenter) : ITaskRunner<SegmentationResult>
    {
        public ModelCard Card => segmenter.Card;

        public IReadOnlyList<SegmentationResult> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request => new SegmentationResult(
            segmenter.Segment(request.Input.RequireImage(), new SegmentationOptions { Threshold = request.Options.MinScoreOr(Defaults.Threshold) })))
            .ToArray();

        public void Dispose() => segmenter.Dispose();
    }
}
