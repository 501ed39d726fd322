namespace ModelZoo.Server.InferenceProtocol;

/// <summary>One tensor-level inference: the model's inputs by name, already checked against the model, and the
/// outputs to return (never empty: an empty request list is expanded to every output before queueing).</summary>
internal sealed record TensorRequest(IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<string> Outputs)
{
    /// <summary>Requests with the same key can be concatenated: same input names and trailing dimensions, same outputs;
    /// null for one that can only run alone (a scalar input, or inputs whose leading dimensions differ).</summary>
    public string? BatchKey { get; } =
        Inputs.Any(i => i.Shape.Length == 0) || Inputs.Select(i => i.Shape[0]).Distinct().Count() != 1
            ? null
            : string.Join(";", Inputs.Select(i => i.Name + ":" + string.Join(",", i.Shape.Skip(1)))) + "|" + string.Join(",", Outputs);
}
