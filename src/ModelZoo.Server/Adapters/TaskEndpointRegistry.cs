using ModelZoo.Catalog;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// The task adapters a server knows, by task. Registration is explicit (no reflection scanning) and a task
/// registered twice is an error. Build it once at startup; afterwards it is read-only and thread-safe.
/// </summary>
public sealed class TaskEndpointRegistry
{
    private readonly Dictionary<ModelTask, ITaskEndpoint> _byTask = [];

    /// <summary>
    /// A registry holding the adapters this assembly ships: classification, image feature vectors, object detection,
    /// pose estimation, face detection (with <paramref name="faceAttributes"/> run on each face), image segmentation,
    /// OCR (served by text-detection cards) and text embeddings.
    /// </summary>
    /// <param name="faceAttributes">Face-attribute model handles the face adapter loads with every face detector; null or empty for none.</param>
    public static TaskEndpointRegistry CreateDefault(IEnumerable<string>? faceAttributes = null) => new TaskEndpointRegistry()
        .Add(new ClassificationEndpoint())
        .Add(new FeatureVectorEndpoint())
        .Add(new ObjectDetectionEndpoint())
        .Add(new PoseEstimationEndpoint())
        .Add(new FaceDetectionEndpoint([.. faceAttributes ?? []]))
        .Add(new ImageSegmentationEndpoint())
        .Add(new OcrEndpoint())
        .Add(new TextEmbeddingEndpoint());

    /// <summary>Registers an adapter and returns this registry.</summary>
    /// <exception cref="InvalidOperationException">An adapter for the same task is already registered.</exception>
    public TaskEndpointRegistry Add(ITaskEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!_byTask.TryAdd(endpoint.Task, endpoint))
        {
            throw new InvalidOperationException(
                $"an adapter for task {endpoint.Task} is already registered ({_byTask[endpoint.Task].GetType().Name}); register each task once.");
        }
        return this;
    }

    /// <summary>The tasks that can be served, in registration order.</summary>
    public IReadOnlyCollection<ModelTask> Tasks => _byTask.Keys;

    /// <summary>The adapter for a task, if one is registered.</summary>
    public ITaskEndpoint? Find(ModelTask task) => _byTask.GetValueOrDefault(task);
}
