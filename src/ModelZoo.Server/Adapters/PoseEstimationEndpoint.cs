using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.PoseEstimation"/> models through <see cref="PoseEstimator"/>: <c>min_score</c> drops
/// weaker poses (default: <see cref="PoseOptions"/>'s, as <c>zoo pose</c>), <c>top</c> caps how many are returned.</summary>
public sealed class PoseEstimationEndpoint : ITaskEndpoint
{
    private static readonly PoseOptions Defaults = new();

    /// <inheritdoc />
    public ModelTask Task => ModelTask.PoseEstimation;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(PoseEstimator.Open(model, new ImageTaskOptions { Session = session }));

    private sealed class Runner(PoseEstimator estimator) : ITaskRunner<PoseResult>
    {
        public ModelCard Card => estimator.Card;

        public IReadOnlyList<PoseResult> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var poses = estimator.Estimate(request.Input.RequireImage(), new PoseOptions { MinScore = request.Options.MinScoreOr(Defaults.MinScore) });
            return new PoseResult(request.Options.Top is int top ? poses.Take(top).ToList() : poses);
        }).ToArray();

        public void Dispose() => estimator.Dispose();
    }
}
