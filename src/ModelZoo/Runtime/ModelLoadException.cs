namespace ModelZoo.Runtime;

/// <summary>
/// A model file could not be read or loaded: it is missing, is not an ONNX file, is corrupt, or uses an
/// operator set the runtime does not support. The message names the file.
/// </summary>
/// <param name="source">The file path, or a description such as "in-memory model".</param>
/// <param name="message">The one-line message, naming the file.</param>
/// <param name="inner">What the runtime threw, if anything.</param>
public sealed class ModelLoadException(string source, string message, Exception? inner = null)
    : ZooException(ZooErrors.ModelLoad, message, inner)
{
    /// <summary>Stable error code.</summary>
    public const string ErrorCode = "model-load";

    /// <summary>The file path, or a description of where the bytes came from.</summary>
    public string ModelPath { get; } = source;
}
