using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Serves <see cref="ModelTask.FaceDetection"/> models through <see cref="FaceDetector"/> and, when the server names
/// face-attribute models, <see cref="FaceAttributes"/> on every face found (loaded with each detector). <c>min_score</c>
/// is the face threshold, <c>top</c> caps the faces returned (defaults: <see cref="FaceOptions"/>'s, as <c>zoo faces</c>).
/// </summary>
/// <param name="attributeHandles">Face-attribute models run on each face, in order; empty for boxes and landmarks only.</param>
public sealed class FaceDetectionEndpoint(IReadOnlyList<string> attributeHandles) : ITaskEndpoint
{
    private static readonly FaceOptions Defaults = new();

    /// <summary>An adapter without face attributes.</summary>
    public FaceDetectionEndpoint() : this([])
    {
    }

    /// <summary>The face-attribute models this adapter loads with each detector.</summary>
    public IReadOnlyList<string> AttributeHandles { get; } = [.. attributeHandles ?? throw new ArgumentNullException(nameof(attributeHandles))];

    /// <inheritdoc />
    public ModelTask Task => ModelTask.FaceDetection;

    /// <inheritdoc />
    public TaskInputKind Input => TaskInputKind.Image;

    /// <inheritdoc />
    public IReadOnlyList<ModelCard> Companions(ModelCard card, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return AttributeHandles.Select(handle =>
        {
            var attributes = catalog.Get(handle);
            if (attributes.Task != ModelTask.FaceAttributes)
            {
                throw new ZooUsageException(
                    $"'{handle}' is a {attributes.Task} model, not a face-attributes model; list face-attribute handles in ZooServerOptions.FaceAttributes (e.g. face/gear/attributes).");
            }
            return attributes;
        }).ToList();
    }

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) => Open(model, [], session);

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, IReadOnlyList<LocalModel> companions, SessionSettings session)
    {
        ArgumentNullException.ThrowIfNull(companions);
        var options = new ImageTaskOptions { Session = session };
        var detector = FaceDetector.Open(model, options);
        try
        {
            return new Runner(detector, companions.Count == 0 ? null : FaceAttributes.Open(companions, options));
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    private sealed class Runner(FaceDetector detector, FaceAttributes? attributes) : ITaskRunner<FaceResult>
    {
        public ModelCard Card => detector.Card;

        public IReadOnlyList<FaceResult> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var image = request.Input.RequireImage();
            var faces = detector.Detect(image, Defaults with
            {
                ScoreThreshold = request.Options.MinScoreOr(Defaults.ScoreThreshold),
                MaxFaces = request.Options.TopOr(Defaults.MaxFaces),
            });
            if (attributes is not null && request.Options.FaceAttributes && faces.Count > 0)
            {
                faces = attributes.Apply(image, faces);
            }
            return new FaceResult(faces);
        }).ToArray();

        public void Dispose()
        {
            detector.Dispose();
            attributes?.Dispose();
        }
    }
}
