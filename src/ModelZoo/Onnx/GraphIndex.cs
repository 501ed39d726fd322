using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// Lookup tables over one graph for surgery code: which node produces and which nodes consume each tensor,
/// constants (initializers and <c>Constant</c> nodes), declared value types, and every name in use. It is a
/// snapshot: build a new one after editing the graph.
/// </summary>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ValueInfoProto> _declared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        foreach (var tensor in graph.Initializer)
        {
            _constants.TryAdd(tensor.Name, tensor);
            _names.Add(tensor.Name);
        }
        foreach (var sparse in graph.SparseInitializer)
        {
            if (sparse.Values is { } values)
            {
                _names.Add(values.Name);
            }
        }
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                _producers.TryAdd(output, node);
                _names.Add(output);
            }
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }
                list.Add(node);
                _names.Add(input);
            }
            if (node.OpType == "Constant" && IsDefaultDomain(node.Domain) && node.Output.Count == 1
                && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: not null } value)
            {
                _constants.TryAdd(node.Output[0], value.T);
            }
        }
        // Later declarations win: outputs over value_info over inputs, since outputs are what callers read.
        foreach (var info in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
        {
            _declared[info.Name] = info;
            _names.Add(info.Name);
        }
    }

    public GraphProto Graph { get; }

    /// <summary>The node that writes <paramref name="tensor"/>, or null for graph inputs, initializers and unknown names.</summary>
    public NodeProto? Producer(string tensor) => _producers.GetValueOrDefault(tensor);

    /// <summary>Nodes of the main graph that read <paramref name="tensor"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string tensor) =>
        _consumers.TryGetValue(tensor, out var list) ? list : [];

    /// <summary>True when some node, input, output, initializer or value_info uses the name.</summary>
    public bool Contains(string name) => _names.Contains(name);

    /// <summary>The constant value of an initializer or <c>Constant</c> node output, or null.</summary>
    public TensorProto? Constant(string name) => _constants.GetValueOrDefault(name);

    /// <summary>True for initializers and outputs of <c>Constant</c> nodes.</summary>
    public bool IsConstant(string name) => _constants.ContainsKey(name);

    /// <summary>The declared tensor element type (a <c>TensorProto.DataType</c> value), or null when nothing declares it.</summary>
    public int? DeclaredElementType(string name)
    {
        if (_constants.TryGetValue(name, out var tensor))
        {
            return tensor.DataType;
        }
        return _declared.TryGetValue(name, out var info) && info.Type?.ValueCase == TypeProto.ValueOneofCase.TensorType
               && info.Type.TensorType.ElemType != 0
            ? info.Type.TensorType.ElemType
            : null;
    }

    /// <summary>The declared dimensions (empty list for a scalar), or null when nothing records a shape.</summary>
    public IReadOnlyList<OnnxDim>? DeclaredShape(string name)
    {
        if (_constants.TryGetValue(name, out var tensor))
        {
            return tensor.Dims.Select(d => new OnnxDim(d, null)).ToList();
        }
        if (!_declared.TryGetValue(name, out var info) || info.Type?.ValueCase != TypeProto.ValueOneofCase.TensorType
            || info.Type.TensorType.Shape is null)
        {
            return null;
        }
        return OnnxModel.Describe(info).Shape;
    }

    /// <summary>A name not used anywhere in the graph, starting from <paramref name="stem"/>; the name is reserved.</summary>
    public string UniqueName(string stem)
    {
        var name = stem;
        for (var i = 1; !_names.Add(name); i++)
        {
            name = stem + "_" + i;
        }
        return name;
    }

    public static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";

    /// <summary>Integer attribute of a node, or <paramref name="fallback"/> when absent.</summary>
    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : fallback;

    /// <summary>Every tensor name a node's subgraphs (If/Loop/Scan bodies) read, including names from the outer scope.</summary>
    public static IEnumerable<string> SubgraphInputs(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            var graphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Append(attribute.G);
            foreach (var sub in graphs)
            {
                foreach (var inner in sub.Node)
                {
                    foreach (var input in inner.Input)
                    {
                        yield return input;
                    }
                    foreach (var nested in SubgraphInputs(inner))
                    {
                        yield return nested;
                    }
                }
                foreach (var output in sub.Output)
                {
                    yield return output.Name;
                }
            }
        }
    }
}
