using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Serves <see cref="ModelTask.PoseEstimation"/> models through <see cref="PoseEstimator"/>: <c>min_score</c> drops
/// weaker poses (default 0.2, as <c>zoo pose</c>), <c>top</c> caps how many are returned.</summary>
public sealed class PoseEstimationEndpoint : ITaskEndpoint
{
    /// <summary>Pose score threshold when the client does not say.</summary>
    public const float DefaultMinScore = 0.2f;

    /// <inheritdoc />
    public ModelTask Task => ModelTask.PoseEstimation;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) =>
        new Runner(PoseEstimator.Open(model, new ImageTaskOptions { Session = session }));

    private sealed class Runner(PoseEstimator estimator) : ITaskRunner
    {
        public ModelCard Card => estimator.Card;

        public IReadOnlyList<object> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var poses = estimator.Estimate(request.Input.RequireImage(), new PoseOptions { MinScore = request.Options.MinScoreOr(DefaultMinScore) });
            return (object)new PoseResult(request.Options.Top is int top ? poses.Take(top).ToList() : poses);
        }).ToArray();

        public void Dispose() => estimator.Dispose();
    }
}
