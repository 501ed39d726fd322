namespace ModelZoo.Runtime;

/// <summary>
/// A model file could not be read or loaded: it is missing, is not an ONNX file, is corrupt, or uses an
/// operator set the runtime does not support. The message names the file.
/// </summary>
public sealed class ModelLoadException : ZooException
{
    /// <summary>Stable error code.</summary>
    public const string ErrorCode = "model-load";

    /// <summary>Creates the error for <paramref name="source"/> (a path, or a description such as "in-memory model").</summary>
    public ModelLoadException(string source, string message, Exception? inner = null)
        : base(ZooErrors.ModelLoad, message, inner)
    {
        ModelPath = source;
    }

    /// <summary>The file path, or a description of where the bytes came from.</summary>
    public string ModelPath { get; }
}
