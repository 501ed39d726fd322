namespace ModelZoo.Server.Adapters;

/// <summary>
/// The adapter that lets the server serve one <see cref="ModelTask"/>: it opens a task pipeline over a pulled
/// model. Adapters are stateless singletons registered explicitly in <see cref="TaskEndpointRegistry"/>; the
/// server does the rest (HTTP, batching, queueing, timeouts, loading and eviction).
/// </summary>
/// <remarks>
/// An image task registered in the library's <see cref="TaskRegistry"/> is served by <see cref="DescriptorEndpoint{TResult, TOptions}"/>
/// with nothing to write here. Only a task the descriptors do not cover (OCR's multi-model pipeline, text embeddings)
/// needs an adapter of its own: a class implementing this interface whose runner is an <see cref="ITaskRunner{TResult}"/>,
/// registered in <see cref="TaskEndpointRegistry.CreateDefault"/>. For the cloud-compatible APIs, map the typed result
/// in <c>Cloud/RekognitionMapper</c> and <c>Cloud/VisionMapper</c>.
/// </remarks>
public interface ITaskEndpoint
{
    /// <summary>The task this adapter serves.</summary>
    ModelTask Task { get; }

    /// <summary>Whether requests carry an image or a text.</summary>
    TaskInput Input { get; }

    /// <summary>The JSON Schema (draft 2020-12, built with <see cref="ResultSchema"/>) of the object a native predict
    /// answers for this task; the server's OpenAPI document publishes it. A new node on every call.</summary>
    JsonObject JsonSchema();

    /// <summary>Opens the task's pipeline over a pulled model. The runner owns its native session.</summary>
    /// <exception cref="ZooException">The model cannot be opened for this task.</exception>
    ITaskRunner Open(LocalModel model, SessionSettings session);

    /// <summary>
    /// Catalog cards the adapter needs next to the served model's: an OCR pipeline's recogniser and direction
    /// classifier, a face detector's attribute models. The server pulls them with the model, charges them to its
    /// memory estimate and hands them to <see cref="Open(LocalModel, IReadOnlyList{LocalModel}, SessionSettings)"/>.
    /// None by default.
    /// </summary>
    /// <exception cref="ZooException">A companion the adapter needs is not in the catalog.</exception>
    IReadOnlyList<ModelCard> Companions(ModelCard card, ModelCatalog catalog) => [];

    /// <summary>Opens the pipeline over the served model and its pulled <paramref name="companions"/> (in the order
    /// <see cref="Companions"/> listed them). By default the companions are ignored.</summary>
    /// <exception cref="ZooException">The models cannot be opened for this task.</exception>
    ITaskRunner Open(LocalModel model, IReadOnlyList<LocalModel> companions, SessionSettings session) => Open(model, session);
}
