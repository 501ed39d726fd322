using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import;

/// <summary>
/// The part of an importer's translation state that does not depend on the source format: the ONNX graph being
/// written, the names already taken in it, and the node helpers every op converter uses. Node and initializer names
/// start with <see cref="NodePrefix"/>, which names the source node being translated.
/// </summary>
internal abstract class OnnxGraphWriter
{
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new();

    /// <summary>What the names of nodes written for the current source node start with.</summary>
    protected abstract string NodePrefix { get; }

    /// <summary>Wraps a translated graph as a model of the given opset, produced by <paramref name="importerVersion"/>.</summary>
    public static OnnxModel ToModel(GraphProto graph, string importerVersion, int opset)
    {
        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "ModelZoo.NET",
            ProducerVersion = importerVersion,
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return OnnxModel.FromProto(proto);
    }

    /// <summary>A graph input or output of <paramref name="type"/>; a negative leading dimension becomes the symbolic
    /// <c>batch</c>, another negative one is left unknown, and no <paramref name="shape"/> means an unknown rank.</summary>
    public static ValueInfoProto ValueInfo(string name, TensorType type, long[]? shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            for (var i = 0; i < shape.Length; i++)
            {
                var dim = new TensorShapeProto.Types.Dimension();
                if (shape[i] >= 0)
                {
                    dim.DimValue = shape[i];
                }
                else if (i == 0)
                {
                    dim.DimParam = "batch";
                }
                tensor.Shape.Dim.Add(dim);
            }
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    public void Reserve(string name) => _usedNames.Add(name);

    public string Unique(string hint)
    {
        var name = hint;
        for (var i = 1; !_usedNames.Add(name); i++)
        {
            name = $"{hint}__{i}";
        }
        return name;
    }

    /// <summary>The ONNX name of a value; a constant becomes an initializer the first time it is used at run time.</summary>
    public string Name(TfValue value)
    {
        if (value.Name is null)
        {
            var name = Unique(NodePrefix + "/const");
            Graph.Initializer.Add(value.Const!.ToProto(name));
            value.Name = name;
        }
        return value.Name;
    }

    public TfValue Constant(ConstTensor tensor) => TfValue.Constant(tensor);

    public TfValue Longs(params long[] values) => TfValue.Constant(ConstTensor.Vector(values));

    /// <summary>Adds one node with a single output and returns that output.</summary>
    public abstract TfValue Op(string opType, IReadOnlyList<TfValue?> inputs, TensorType type, long[]? shape, params AttributeProto[] attributes);

    /// <summary>Transposes (folded for constants).</summary>
    public TfValue Transpose(TfValue value, int[] perm)
    {
        if (value.Const is { } c)
        {
            return Constant(c.Transpose(perm));
        }
        var shape = value.Shape is null ? null : Shapes.Permute(value.Shape, perm);
        return Op("Transpose", [value], value.Type, shape, OnnxAttr.Ints("perm", perm.Select(p => (long)p)));
    }

    /// <summary>A new node for the current source node, reading <paramref name="inputs"/> (null: an omitted optional
    /// input); the caller adds its outputs and attributes.</summary>
    protected NodeProto NewNode(string opType, IReadOnlyList<TfValue?> inputs)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(NodePrefix + "/" + opType) };
        foreach (var input in inputs)
        {
            node.Input.Add(input is null ? "" : Name(input));
        }
        return node;
    }
}
