namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// A card's model opened as it is, for tensor-level inference: the ONNX file (or the cached ONNX translation of an
/// imported format) on ONNX Runtime, without the card's preprocessing graph or task decoder, behind a
/// micro-batcher whose batches run as <see cref="TensorBatching"/> says. Loaded, charged and evicted by the
/// <see cref="ModelPool"/> under the same budget as task pipelines.
/// </summary>
internal sealed class TensorModel : IPooledModel
{
    private readonly MicroBatcher<TensorRequest, IReadOnlyList<NamedTensor>> _batcher;

    public TensorModel(ModelCard card, ModelSession session, ZooServerOptions options, ServerMetrics metrics)
    {
        Card = card;
        Session = session;
        _batcher = new MicroBatcher<TensorRequest, IReadOnlyList<NamedTensor>>(card.Handle, new TensorBatching(session, card.Handle, metrics).Run, options);
    }

    public ModelCard Card { get; }

    public ModelSession Session { get; }

    public int QueueDepth => _batcher.Depth;

    /// <summary>
    /// Checks client tensors against the model (names, data types, ranks and fixed dimensions) before they join a batch,
    /// so that one bad request never fails the others; returns them in the model's input order.
    /// </summary>
    /// <exception cref="ServeException">400 naming the first mismatch.</exception>
    public TensorRequest Check(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string> outputs)
    {
        var byName = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!byName.TryAdd(input.Name, input))
            {
                throw V2DataTypes.Bad($"input '{input.Name}' is sent twice; send each input once.");
            }
        }
        var ordered = new List<NamedTensor>(Session.Inputs.Count);
        foreach (var info in Session.Inputs)
        {
            if (!byName.Remove(info.Name, out var tensor))
            {
                throw V2DataTypes.Bad($"input '{info.Name}' ({V2DataTypes.FromOnnx(info.ElementType)}) is missing; the model needs {Describe(Session.Inputs)}.");
            }
            var expected = V2DataTypes.FromOnnx(info.ElementType);
            var given = V2DataTypes.FromArray(tensor.Data);
            if (given != expected)
            {
                throw V2DataTypes.Bad($"input '{info.Name}' is {expected} but {given} was sent; send {expected} elements.");
            }
            if (tensor.Shape.Length != info.Shape.Count || tensor.Shape.Where((d, i) => info.Shape[i] >= 0 && info.Shape[i] != d).Any())
            {
                throw V2DataTypes.Bad($"input '{info.Name}' has shape [{string.Join(",", tensor.Shape)}] but the model takes [{string.Join(",", info.Shape)}] (-1: any size); reshape the tensor.");
            }
            ordered.Add(tensor);
        }
        if (byName.Count > 0)
        {
            throw V2DataTypes.Bad($"the model has no input '{byName.Keys.First()}'; it takes {Describe(Session.Inputs)}.");
        }
        var known = Session.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in outputs)
        {
            if (!known.Contains(name))
            {
                throw V2DataTypes.Bad($"the model has no output '{name}'; its outputs are {Describe(Session.Outputs)}.");
            }
        }
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Count)
        {
            throw V2DataTypes.Bad("an output is requested twice; request each output once.");
        }
        return new TensorRequest(ordered, outputs.Count == 0 ? [.. Session.Outputs.Select(o => o.Name)] : outputs);
    }

    /// <summary>Runs a checked request in the next batch.</summary>
    /// <exception cref="ServeException">The queue is full (429) or the model is being unloaded (503).</exception>
    public Task<IReadOnlyList<NamedTensor>> InferAsync(TensorRequest request, CancellationToken ct) => _batcher.EnqueueAsync(request, ct);

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        Session.Dispose();
    }

    private static string Describe(IEnumerable<TensorInfo> tensors) =>
        string.Join(", ", tensors.Select(t => $"'{t.Name}' {V2DataTypes.FromOnnx(t.ElementType)}[{string.Join(",", t.Shape)}]"));
}
