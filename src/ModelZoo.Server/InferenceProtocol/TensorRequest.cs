using ModelZoo.Runtime;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>One tensor-level inference: the model's inputs by name, already checked against the model, and the
/// outputs to return (never empty: an empty request list is expanded to every output before queueing).</summary>
internal sealed record TensorRequest(IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<string> Outputs);
