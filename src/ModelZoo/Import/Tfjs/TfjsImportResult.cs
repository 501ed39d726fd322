using ModelZoo.Onnx;

namespace ModelZoo.Import.Tfjs;

/// <summary>The imported model and a report of what the translation did.</summary>
public sealed record TfjsImportResult
{
    /// <summary>The translated ONNX model (opset <see cref="TfjsImporter.Opset"/>).</summary>
    public required OnnxModel Model { get; init; }

    /// <summary>Number of TensorFlow nodes per op in the part of the graph the outputs depend on (Const and Placeholder included).</summary>
    public required IReadOnlyDictionary<string, int> TfOperatorCounts { get; init; }

    /// <summary>Number of ONNX nodes per operator in the result.</summary>
    public IReadOnlyDictionary<string, int> OnnxOperatorCounts => Model.OperatorCounts;

    /// <summary>Nodes in model.json, including any the outputs do not depend on.</summary>
    public required int TfNodeCount { get; init; }

    /// <summary>Number of weights in the manifest.</summary>
    public required int WeightCount { get; init; }

    /// <summary>Lower-case hex SHA-256 of the model.json bytes.</summary>
    public required string ModelJsonSha256 { get; init; }

    /// <summary>Wall-clock time of the import.</summary>
    public required TimeSpan Elapsed { get; init; }
}
