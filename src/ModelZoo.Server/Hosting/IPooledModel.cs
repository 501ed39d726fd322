namespace ModelZoo.Server.Hosting;

/// <summary>What the <see cref="ModelPool"/> loads, charges and evicts: a task pipeline (<see cref="ServedModel"/>) or a
/// model opened as it is for tensor inference (<see cref="InferenceProtocol.TensorModel"/>).</summary>
internal interface IPooledModel : IAsyncDisposable
{
    /// <summary>The model's card.</summary>
    ModelCard Card { get; }

    /// <summary>Requests waiting for a batch.</summary>
    int QueueDepth { get; }
}
