using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>Sessions over a copy of a graph with inner float tensors added as outputs, the card's preprocessing graph
/// in front: how calibration and the per-node comparison read activations.</summary>
internal static class ExposedTensors
{
    /// <summary>Opens <paramref name="model"/> with every tensor of <paramref name="tensors"/> also an output (each once;
    /// the model itself is not changed).</summary>
    public static ModelSession Open(ModelProto model, IEnumerable<string> tensors, OnnxModel? preprocess, ModelCard card, SessionSettings settings)
    {
        var probe = model.Clone();
        var existing = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Where(existing.Add))
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }
        var composed = OnnxModel.FromProto(probe);
        if (preprocess is not null)
        {
            composed = GraphComposer.Prepend(preprocess, composed, card.Input!.Name);
        }
        return ModelSession.Open(composed, settings);
    }
}
