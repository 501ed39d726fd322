using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Serves <see cref="ModelTask.FaceDetection"/> models through <see cref="FaceDetector"/> and, when the server names
/// face-attribute models, <see cref="FaceAttributes"/> on every face found (loaded with each detector). <c>min_score</c>
/// is the face threshold (default 0.5, as <c>zoo faces</c>), <c>top</c> caps the faces returned.
/// </summary>
/// <param name="attributeHandles">Face-attribute models run on each face, in order; empty for boxes and landmarks only.</param>
public sealed class FaceDetectionEndpoint(IReadOnlyList<string> attributeHandles) : ITaskEndpoint
{
    /// <summary>Face score threshold when the client does not say.</summary>
    public const float DefaultMinScore = 0.5f;

    /// <summary>Faces returned at most when the client does not say.</summary>
    public const int DefaultMaxFaces = 100;

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
                    $"'{handle}' is a {attributes.Task} model, not a face-attributes model; pass face-attribute handles to --face-attributes (e.g. face/gear/attributes).");
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

    private sealed class Runner(FaceDetector detector, FaceAttributes? attributes) : ITaskRunner
    {
        public ModelCard Card => detector.Card;

        public IReadOnlyList<object> Predict(IReadOnlyList<PredictRequest> batch) => batch.Select(request =>
        {
            var image = request.Input.RequireImage();
            var faces = detector.Detect(image, new FaceOptions
            {
                ScoreThreshold = request.Options.MinScoreOr(DefaultMinScore),
                MaxFaces = request.Options.TopOr(DefaultMaxFaces),
            });
            if (attributes is not null && request.Options.FaceAttributes && faces.Count > 0)
            {
                faces = attributes.Apply(image, faces);
            }
            return (object)new FaceResult(faces);
        }).ToArray();

        public void Dispose()
        {
            detector.Dispose();
            attributes?.Dispose();
        }
    }
}
