using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Folds each BatchNormalization that directly follows a Conv into that Conv's weights and bias. Quantization needs
/// the folded weights: per-channel int8 scales are taken from the weights the integer kernel really multiplies by,
/// and a Conv must be followed by its QuantizeLinear for ONNX Runtime to fuse it into QLinearConv.
/// </summary>
internal static class BatchNormFolder
{
    /// <summary>Folds in place and returns how many BatchNormalization nodes were removed.</summary>
    public static int Fold(GraphProto graph)
    {
        var folded = 0;
        var index = new GraphIndex(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var remove = new List<NodeProto>();
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization" && GraphIndex.IsDefaultDomain(n.Domain)).ToList())
        {
            var conv = index.Producer(bn.Input[0]);
            if (conv is null || conv.OpType != "Conv" || outputs.Contains(conv.Output[0]) || index.Consumers(conv.Output[0]).Count != 1
                || bn.Output.Skip(1).Any(o => o.Length > 0) || bn.Input.Count < 5)
            {
                continue;
            }
            var weight = index.Constant(conv.Input[1]);
            var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? index.Constant(conv.Input[2]) : null;
            var stats = bn.Input.Skip(1).Take(4).Select(index.Constant).ToArray();
            if (weight is null || !TensorData.IsFloat(weight) || (conv.Input.Count > 2 && conv.Input[2].Length > 0 && bias is null)
                || stats.Any(s => s is null || !TensorData.IsFloat(s)))
            {
                continue;
            }
            var w = TensorData.Floats(weight);
            var channels = (int)weight.Dims[0];
            var perChannel = w.Length / channels;
            var gamma = TensorData.Floats(stats[0]!);
            var beta = TensorData.Floats(stats[1]!);
            var mean = TensorData.Floats(stats[2]!);
            var variance = TensorData.Floats(stats[3]!);
            if (gamma.Length != channels || beta.Length != channels || mean.Length != channels || variance.Length != channels)
            {
                continue;
            }
            var b = bias is null ? new float[channels] : TensorData.Floats(bias);
            var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            var newWeight = new float[w.Length];
            var newBias = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                var factor = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
                for (var k = 0; k < perChannel; k++)
                {
                    newWeight[c * perChannel + k] = w[c * perChannel + k] * factor;
                }
                newBias[c] = (b[c] - mean[c]) * factor + beta[c];
            }
            // New names: the old initializers may be shared with other nodes.
            var weightName = index.UniqueName(conv.Input[1] + "_folded");
            var biasName = index.UniqueName(bn.Output[0] + "_bias_folded");
            graph.Initializer.Add(TensorData.Float(weightName, newWeight, weight.Dims.ToArray()));
            graph.Initializer.Add(TensorData.Float(biasName, newBias, channels));
            conv.Input[1] = weightName;
            if (conv.Input.Count > 2)
            {
                conv.Input[2] = biasName;
            }
            else
            {
                conv.Input.Add(biasName);
            }
            conv.Output[0] = bn.Output[0];
            remove.Add(bn);
            folded++;
        }
        foreach (var node in remove)
        {
            graph.Node.Remove(node);
        }
        RemoveUnusedInitializers(graph);
        return folded;
    }

    /// <summary>Drops initializers no node or output reads any more (the unfolded weights and BN statistics).</summary>
    internal static void RemoveUnusedInitializers(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input.Concat(GraphIndex.SubgraphInputs(n)))
            .Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var keep = graph.Initializer.Where(i => used.Contains(i.Name)).ToList();
        if (keep.Count == graph.Initializer.Count)
        {
            return;
        }
        var dropped = graph.Initializer.Where(i => !used.Contains(i.Name)).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keep);
        // Old IR versions also list initializers as graph inputs; a dropped one must not stay behind as an input to feed.
        var inputs = graph.Input.Where(i => !dropped.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
    }
}
