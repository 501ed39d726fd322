namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// How a micro-batch of tensor requests runs: requests whose inputs agree on everything but the leading dimension (and
/// that ask for the same outputs) are concatenated into one session run and the outputs split back by rows. That is
/// only possible when every model input has a variable leading dimension and every output's leading dimension is the
/// batch; otherwise, or for a request that fits no group, requests run one by one.
/// </summary>
internal sealed class TensorBatching(ModelSession session, string handle, ServerMetrics metrics)
{
    private readonly bool _batchable = session.Inputs.All(i => i.Shape.Count > 0 && i.Shape[0] < 0);

    /// <summary>Runs the live requests of one batch.</summary>
    public void Run(IReadOnlyList<MicroBatcher<TensorRequest, IReadOnlyList<NamedTensor>>.Slot> batch)
    {
        var groups = _batchable
            ? batch.GroupBy(s => s.Request.BatchKey ?? Guid.NewGuid().ToString("N"), StringComparer.Ordinal).Select(g => g.ToList())
            : batch.Select(s => new List<MicroBatcher<TensorRequest, IReadOnlyList<NamedTensor>>.Slot> { s });
        foreach (var group in groups)
        {
            if (group.Count > 1 && TryRunTogether(group))
            {
                continue;
            }
            foreach (var slot in group)
            {
                try
                {
                    metrics.ObserveBatch(handle, 1);
                    slot.Complete(session.Run(slot.Request.Inputs, slot.Request.Outputs));
                }
                catch (Exception ex)
                {
                    slot.Fail(Wrap(ex));
                }
            }
        }
    }

    /// <summary>Runs a group as one batch; false (nothing answered) when an output's leading dimension is not the batch.</summary>
    private bool TryRunTogether(List<MicroBatcher<TensorRequest, IReadOnlyList<NamedTensor>>.Slot> group)
    {
        var first = group[0].Request;
        var rows = group.Select(s => s.Request.Inputs[0].Shape[0]).ToArray();
        var total = rows.Sum();
        var inputs = new List<NamedTensor>(first.Inputs.Count);
        for (var i = 0; i < first.Inputs.Count; i++)
        {
            var template = first.Inputs[i];
            var data = Array.CreateInstance(template.Data.GetType().GetElementType()!, group.Sum(s => s.Request.Inputs[i].Data.Length));
            var offset = 0;
            foreach (var slot in group)
            {
                var part = slot.Request.Inputs[i].Data;
                Array.Copy(part, 0, data, offset, part.Length);
                offset += part.Length;
            }
            var shape = (long[])template.Shape.Clone();
            shape[0] = total;
            inputs.Add(new NamedTensor(template.Name, data, shape));
        }
        IReadOnlyList<NamedTensor> outputs;
        try
        {
            outputs = session.Run(inputs, first.Outputs);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One request's bad values could fail the whole batch; running them alone attributes the failure.
            return false;
        }
        if (outputs.Any(o => o.Shape.Length == 0 || o.Shape[0] != total))
        {
            return false;
        }
        metrics.ObserveBatch(handle, group.Count);
        long row = 0;
        for (var r = 0; r < group.Count; r++)
        {
            group[r].Complete(Rows(outputs, total, row, rows[r]));
            row += rows[r];
        }
        return true;
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of every output.</summary>
    private static NamedTensor[] Rows(IReadOnlyList<NamedTensor> outputs, long total, long start, long count)
    {
        var parts = new NamedTensor[outputs.Count];
        for (var o = 0; o < outputs.Count; o++)
        {
            var output = outputs[o];
            var rowSize = output.Data.Length / total;
            var data = Array.CreateInstance(output.Data.GetType().GetElementType()!, rowSize * count);
            Array.Copy(output.Data, start * rowSize, data, 0, data.Length);
            var shape = (long[])output.Shape.Clone();
            shape[0] = count;
            parts[o] = new NamedTensor(output.Name, data, shape);
        }
        return parts;
    }

    private static Exception Wrap(Exception ex) => ex is ArgumentException
        ? V2DataTypes.Bad(ex.Message.TrimEnd('.') + "; check the tensors against GET /v2/models/NAME.")
        : ex;
}
