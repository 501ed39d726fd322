using Google.Protobuf;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// An ONNX model held as its protobuf, for inspection and graph surgery. The object is mutable: surgery
/// methods change it in place and <see cref="Save"/> / <see cref="ToBytes"/> write the current state.
/// Fields this library does not model are carried along unchanged.
/// </summary>
public sealed class OnnxModel
{
    private const string InMemorySource = "in-memory model";

    private OnnxModel(ModelProto proto)
    {
        Proto = proto;
    }

    /// <summary>The parsed protobuf, for library code that edits the graph directly.</summary>
    internal ModelProto Proto { get; }

    /// <summary>The main graph; present on every model this type accepts.</summary>
    internal GraphProto Graph => Proto.Graph;

    /// <summary>Reads and parses an ONNX file.</summary>
    /// <exception cref="ModelLoadException">The file is missing, unreadable or not an ONNX model.</exception>
    public static OnnxModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // A FIFO or a device reports length 0, and reading it would wait or never end: refuse before opening.
        if (new FileInfo(path) is { Exists: true, Length: 0 })
        {
            throw new ModelLoadException(path,
                $"Model file '{path}' is empty or not a regular file; check that it was written completely, or pull it again.");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path,
                $"Cannot read model file '{path}': {ex.Message}; check the path and permissions.", ex);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses an ONNX model from its serialized bytes.</summary>
    /// <exception cref="ModelLoadException">The bytes are not an ONNX model.</exception>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes) => Parse(bytes, InMemorySource);

    /// <summary>Parses bytes, naming <paramref name="source"/> in any error.</summary>
    internal static OnnxModel Parse(ReadOnlySpan<byte> bytes, string source)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw NotOnnx(source, "it is not a valid protobuf message", ex);
        }
        // Arbitrary bytes can happen to decode as a message made only of unknown fields, so also require the
        // two fields every real model carries.
        if (!proto.HasIrVersion || proto.IrVersion <= 0)
        {
            throw NotOnnx(source, "it has no IR version", null);
        }
        if (proto.Graph is null)
        {
            throw NotOnnx(source, "it has no graph", null);
        }
        return new OnnxModel(proto);
    }

    /// <summary>Wraps an existing protobuf (used by code that builds graphs).</summary>
    internal static OnnxModel FromProto(ModelProto proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (proto.Graph is null)
        {
            throw new ArgumentException("The model has no graph.", nameof(proto));
        }
        return new OnnxModel(proto);
    }

    /// <summary>Writes the model to <paramref name="path"/> through a temporary file and a rename.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Proto.WriteTo(stream);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Serializes the model.</summary>
    public byte[] ToBytes() => Proto.ToByteArray();

    /// <summary>The ONNX IR version the file declares.</summary>
    public long IrVersion => Proto.IrVersion;

    /// <summary>Operator set versions by domain; the default ONNX domain is the empty string.</summary>
    public IReadOnlyDictionary<string, long> Opsets
    {
        get
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var opset in Proto.OpsetImport)
            {
                result[NormalizeDomain(opset.Domain)] = opset.Version;
            }
            return result;
        }
    }

    /// <summary>The tool that wrote the file, or null when it does not say.</summary>
    public string? ProducerName => Proto.HasProducerName && Proto.ProducerName.Length > 0 ? Proto.ProducerName : null;

    /// <summary>Graph inputs that must be fed, i.e. excluding initializers that older IR versions also list as inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs
    {
        get
        {
            var initializers = InitializerNames();
            return Graph.Input.Where(v => !initializers.Contains(v.Name)).Select(Describe).ToList();
        }
    }

    /// <summary>Graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs => Graph.Output.Select(Describe).ToList();

    /// <summary>The operator type of the node that writes <paramref name="tensor"/> (e.g. <c>Softmax</c>), or null for a
    /// graph input, an initializer or an unknown name.</summary>
    public string? OpTypeProducing(string tensor) => Graph.Node.FirstOrDefault(n => n.Output.Contains(tensor))?.OpType;

    /// <summary>Total number of elements over all initializers (dense and sparse).</summary>
    public long ParameterCount
    {
        get
        {
            long total = 0;
            foreach (var tensor in Graph.Initializer)
            {
                total += ElementCount(tensor.Dims);
            }
            foreach (var sparse in Graph.SparseInitializer)
            {
                total += ElementCount(sparse.Dims);
            }
            return total;
        }
    }

    /// <summary>Number of nodes in the main graph (nodes inside subgraphs are not counted).</summary>
    public int NodeCount => Graph.Node.Count;

    /// <summary>Node count per operator type in the main graph; non-default domains are written <c>domain:OpType</c>.</summary>
    public IReadOnlyDictionary<string, int> OperatorCounts
    {
        get
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var node in Graph.Node)
            {
                var domain = NormalizeDomain(node.Domain);
                var key = domain.Length == 0 ? node.OpType : domain + ":" + node.OpType;
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            return counts;
        }
    }

    /// <summary>The model's <c>metadata_props</c> as a live, writable dictionary.</summary>
    public IDictionary<string, string> Metadata => new MetadataPropsView(Proto.MetadataProps);

    /// <summary>
    /// Makes the leading (batch) dimension of every graph input and output symbolic, so that the model runs
    /// at any batch size. Shapes recorded for intermediate values that carried the old batch size are
    /// cleared, and <c>Reshape</c> nodes whose constant target shape hard-codes that batch size get
    /// <c>-1</c> (or <c>0</c>, "copy from the input", when the shape already has a <c>-1</c>) in its place.
    /// </summary>
    /// <param name="symbol">The symbol to give the batch dimension.</param>
    public void MakeBatchDynamic(string symbol = "batch") => BatchAxisRewriter.Rewrite(this, symbol);

    /// <summary>Names of all dense initializers of the main graph.</summary>
    internal HashSet<string> InitializerNames() =>
        Graph.Initializer.Select(t => t.Name).Concat(Graph.SparseInitializer.Select(s => s.Values?.Name ?? ""))
            .ToHashSet(StringComparer.Ordinal);

    internal static string NormalizeDomain(string domain) => domain == "ai.onnx" ? "" : domain;

    internal static OnnxValueInfo Describe(ValueInfoProto value)
    {
        var dims = new List<OnnxDim>();
        var shape = value.Type?.ValueCase switch
        {
            TypeProto.ValueOneofCase.TensorType => value.Type.TensorType.Shape,
            TypeProto.ValueOneofCase.SparseTensorType => value.Type.SparseTensorType.Shape,
            _ => null,
        };
        if (shape is not null)
        {
            foreach (var dim in shape.Dim)
            {
                dims.Add(dim.ValueCase switch
                {
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => new OnnxDim(dim.DimValue, null),
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when dim.DimParam.Length > 0 =>
                        new OnnxDim(null, dim.DimParam),
                    _ => new OnnxDim(null, null),
                });
            }
        }
        return new OnnxValueInfo(value.Name, OnnxElementTypes.Name(value.Type), dims);
    }

    private static long ElementCount(IEnumerable<long> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
        }
        return count;
    }

    private static ModelLoadException NotOnnx(string source, string reason, Exception? inner) =>
        new(source, $"'{source}' is not an ONNX model ({reason}); check that the file is a complete .onnx download, " +
                    "or pull it again.", inner);
}
