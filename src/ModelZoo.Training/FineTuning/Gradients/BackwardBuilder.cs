using ModelZoo.Onnx.Proto;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>
/// Reverse-mode differentiation over ONNX nodes: walks the forward nodes backwards from seeded output gradients,
/// asks each node's <see cref="GradientRule"/> for its input gradients, sums contributions to tensors read more
/// than once, and returns the gradient tensor of every requested parameter.
/// </summary>
internal static class BackwardBuilder
{
    /// <summary>Appends the backward graph to <paramref name="emitter"/>'s graph.</summary>
    /// <param name="emitter">The graph (already holding <paramref name="forward"/>) and the forward shapes.</param>
    /// <param name="forward">The forward nodes in topological order.</param>
    /// <param name="seeds">Tensor → name of the tensor holding dLoss/dTensor.</param>
    /// <param name="parameters">Tensors whose gradients are wanted.</param>
    /// <returns>Parameter name → gradient tensor name.</returns>
    /// <exception cref="ZooException">A node on the path has no gradient rule (<c>finetune-op-unsupported</c>).</exception>
    public static Dictionary<string, string> Build(GraphEmitter emitter, IReadOnlyList<NodeProto> forward,
        IReadOnlyDictionary<string, string> seeds, IReadOnlyCollection<string> parameters)
    {
        var requires = new HashSet<string>(parameters, StringComparer.Ordinal);
        foreach (var node in forward)
        {
            if (node.Input.Any(requires.Contains))
            {
                requires.UnionWith(node.Output.Where(o => o.Length > 0));
            }
        }

        var contributions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (tensor, gradient) in seeds)
        {
            contributions[tensor] = [gradient];
        }

        for (var i = forward.Count - 1; i >= 0; i--)
        {
            var node = forward[i];
            if (!contributions.TryGetValue(node.Output[0], out var terms) || terms.Count == 0)
            {
                continue;
            }

            var needed = node.Input.Select(input => input.Length > 0 && requires.Contains(input)).ToArray();
            if (!needed.Any(n => n))
            {
                continue;
            }

            var rule = GradientRules.Find(node.OpType) ?? throw GradientRules.Unsupported(node,
                $"there is no gradient rule for {node.OpType} (supported: {string.Join(", ", GradientRules.Supported)})");
            var outputGradient = emitter.Sum(terms);
            contributions[node.Output[0]] = [outputGradient];
            var inputGradients = rule(node, outputGradient, needed, emitter);
            for (var k = 0; k < node.Input.Count; k++)
            {
                if (needed[k] && k < inputGradients.Length && inputGradients[k] is { } g)
                {
                    if (!contributions.TryGetValue(node.Input[k], out var list))
                    {
                        contributions[node.Input[k]] = list = [];
                    }

                    list.Add(g);
                }
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (!contributions.TryGetValue(parameter, out var terms) || terms.Count == 0)
            {
                throw ZooErrors.FineTuneNoGradient.Raise(
                    $"The loss does not depend on parameter '{parameter}'; unfreeze a split point whose layers feed the features.");
            }

            result[parameter] = emitter.Sum(terms);
        }

        return result;
    }
}
