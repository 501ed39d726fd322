using ModelZoo.Onnx;

namespace ModelZoo.Import.Tflite;

/// <summary>The imported model and a report of what the translation did.</summary>
public sealed record TfliteImportResult
{
    /// <summary>The translated ONNX model (opset <see cref="TfliteImporter.Opset"/>).</summary>
    public required OnnxModel Model { get; init; }

    /// <summary>Number of TFLite operators per op name (custom ops by their custom code).</summary>
    public required IReadOnlyDictionary<string, int> TfliteOperatorCounts { get; init; }

    /// <summary>Number of ONNX nodes per operator in the result.</summary>
    public IReadOnlyDictionary<string, int> OnnxOperatorCounts => Model.OperatorCounts;

    /// <summary>Operators in subgraph 0.</summary>
    public required int OperatorCount { get; init; }

    /// <summary>Tensors in subgraph 0.</summary>
    public required int TensorCount { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Wall-clock time of the import.</summary>
    public required TimeSpan Elapsed { get; init; }
}
