using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// Joins two ONNX graphs into one: the output of a small "prefix" graph (e.g. a preprocessing graph shipped beside a
/// model) feeds an input of the main model. The result has the prefix's input in place of that model input.
/// </summary>
public static class GraphComposer
{
    /// <summary>
    /// Returns a new model that runs <paramref name="prefix"/> and feeds its single output into
    /// <paramref name="modelInput"/> (default: the model's first input) of <paramref name="model"/>. Names inside the
    /// prefix are given <paramref name="namePrefix"/> so that they cannot clash with the model's. Neither argument is changed.
    /// </summary>
    public static OnnxModel Prepend(OnnxModel prefix, OnnxModel model, string? modelInput = null, string namePrefix = "pre/")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(model);
        var pre = prefix.Proto.Graph;
        var preInitializers = pre.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var preInputs = pre.Input.Where(i => !preInitializers.Contains(i.Name)).ToList();
        if (preInputs.Count != 1 || pre.Output.Count != 1)
        {
            throw ZooErrors.ComposePrefixShape.Raise(
                $"a prefix graph must have one input and one output, this one has {preInputs.Count} and {pre.Output.Count}; cannot prepend it.");
        }
        var result = model.Proto.Clone();
        var graph = result.Graph;
        var target = modelInput ?? model.Inputs[0].Name;
        var targetIndex = graph.Input.ToList().FindIndex(i => i.Name == target);
        if (targetIndex < 0)
        {
            throw ZooErrors.ComposeInputMissing.Raise($"the model has no input named '{target}'; name one of: {string.Join(", ", model.Inputs.Select(i => i.Name))}.");
        }
        var prefixInput = preInputs[0].Name;
        var prefixOutput = pre.Output[0].Name;
        if (graph.Node.Any(n => n.Output.Contains(prefixInput)) || graph.Input.Any(i => i.Name == prefixInput && i.Name != target))
        {
            throw ZooErrors.ComposeNameClash.Raise($"the prefix input name '{prefixInput}' is already used by the model; rename it before composing.");
        }

        Func<string, string> rename = name =>
            name.Length == 0 ? name
            : name == prefixInput ? prefixInput
            : name == prefixOutput ? target
            : namePrefix + name;
        var nodes = CopyPrefix(pre, graph, rename, namePrefix, target);
        // The model's old input becomes an intermediate value; keep its type as a shape hint.
        var oldInput = graph.Input[targetIndex];
        graph.Input[targetIndex] = preInputs[0].Clone();
        graph.ValueInfo.Add(oldInput);
        var allNodes = nodes.Concat(graph.Node).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(allNodes);

        MergeOpsets(result, prefix.Proto);
        result.IrVersion = Math.Max(result.IrVersion, prefix.Proto.IrVersion);
        return OnnxModel.FromProto(result);
    }

    /// <summary>Copies the prefix's initializers and value infos into <paramref name="graph"/> under their new names
    /// and returns its nodes, renamed, to run before the model's.</summary>
    private static List<NodeProto> CopyPrefix(GraphProto pre, GraphProto graph, Func<string, string> rename,
        string namePrefix, string target)
    {
        var nodes = new List<NodeProto>();
        foreach (var source in pre.Node)
        {
            var node = source.Clone();
            for (var i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = rename(node.Input[i]);
            }
            for (var i = 0; i < node.Output.Count; i++)
            {
                node.Output[i] = rename(node.Output[i]);
            }
            if (node.HasName)
            {
                node.Name = namePrefix + node.Name;
            }
            nodes.Add(node);
        }
        foreach (var initializer in pre.Initializer)
        {
            var copy = initializer.Clone();
            copy.Name = rename(copy.Name);
            graph.Initializer.Add(copy);
        }
        foreach (var info in pre.ValueInfo)
        {
            var copy = info.Clone();
            copy.Name = rename(copy.Name);
            if (copy.Name != target)
            {
                graph.ValueInfo.Add(copy);
            }
        }
        return nodes;
    }

    /// <summary>Each domain the prefix imports is imported by the result at the higher of the two versions.</summary>
    private static void MergeOpsets(ModelProto result, ModelProto prefix)
    {
        foreach (var import in prefix.OpsetImport)
        {
            var existing = result.OpsetImport.FirstOrDefault(o => o.Domain == import.Domain);
            if (existing is null)
            {
                result.OpsetImport.Add(import.Clone());
            }
            else if (existing.Version < import.Version)
            {
                existing.Version = import.Version;
            }
        }
    }
}
