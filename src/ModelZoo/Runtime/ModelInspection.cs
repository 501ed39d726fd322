namespace ModelZoo.Runtime;

/// <summary>A summary of a loaded model, for <c>zoo inspect</c> and for checks against a model card.</summary>
/// <param name="IrVersion">The ONNX IR version of the file.</param>
/// <param name="Opsets">Operator set version per domain (the default ONNX domain is the empty string).</param>
/// <param name="ProducerName">The tool that wrote the file, if it says.</param>
/// <param name="ProducerVersion">That tool's version, if it says.</param>
/// <param name="ParameterCount">Total elements over all initializers.</param>
/// <param name="NodeCount">Nodes in the main graph.</param>
/// <param name="OperatorCounts">Node count per operator type (<c>domain:OpType</c> outside the default domain).</param>
/// <param name="Inputs">Inputs as the session sees them (after any batch rewrite).</param>
/// <param name="Outputs">Outputs as the session sees them.</param>
/// <param name="Metadata">The model's metadata properties.</param>
/// <param name="Rewrites">What the session changed in memory before loading (e.g. making the batch dimension
/// dynamic); empty when the model was loaded as is.</param>
public sealed record ModelInspection(
    long IrVersion,
    IReadOnlyDictionary<string, long> Opsets,
    string? ProducerName,
    string? ProducerVersion,
    long ParameterCount,
    int NodeCount,
    IReadOnlyDictionary<string, int> OperatorCounts,
    IReadOnlyList<TensorInfo> Inputs,
    IReadOnlyList<TensorInfo> Outputs,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Rewrites);
