namespace ModelZoo.Tasks;

/// <summary>
/// A task as hosts see it before they know its types: its name, what a request carries, its decoder table and its
/// command-line verb. Every descriptor derives from <see cref="TaskDescriptor{TResult, TOptions}"/>; call
/// <see cref="Accept{TReturn}"/> for the typed members. Descriptors are stateless singletons, listed in
/// <see cref="TaskRegistry"/>.
/// </summary>
public interface ITaskDescriptor
{
    /// <summary>The task, as model cards name it.</summary>
    ModelTask Task { get; }

    /// <summary>What one request carries.</summary>
    TaskInput Input { get; }

    /// <summary>What one image gives.</summary>
    Type ResultType { get; }

    /// <summary>The per-call options record.</summary>
    Type OptionsType { get; }

    /// <summary>The names <c>output.decoder</c> may take in this task's cards, sorted; null when the task reads its
    /// outputs without a decoder table.</summary>
    IReadOnlyList<string>? Decoders { get; }

    /// <summary>The command-line verb, or null when the task has a command of its own shape (or none).</summary>
    TaskCommandInfo? Command { get; }

    /// <summary>The task of the extra models a pipeline may take next to its own (face attributes for face
    /// detection), or null when it takes none.</summary>
    ModelTask? CompanionTask { get; }

    /// <summary>Handles of <see cref="CompanionTask"/> models the pipeline opens when the host names none; empty for
    /// tasks whose companions are optional extras. A task that cannot run without a companion (face embeddings need a
    /// face detector) names it here: hosts pull it with the model, and the command-line verb offers no companion
    /// option of its own.</summary>
    IReadOnlyList<string> DefaultCompanions { get; }

    /// <summary>The JSON Schema of the properties one result is written as for <paramref name="options"/>: an object schema
    /// whose properties are those <c>WriteJson</c> writes (the server's native response is that object; the CLI's
    /// <c>--json</c> adds <c>"image"</c>). Built with <see cref="ResultSchema"/>; a new node on every call.</summary>
    JsonObject JsonSchema(ResultJsonOptions options);

    /// <summary>Calls <paramref name="visitor"/> with this descriptor at its own types.</summary>
    TReturn Accept<TReturn>(ITaskDescriptorVisitor<TReturn> visitor);
}
