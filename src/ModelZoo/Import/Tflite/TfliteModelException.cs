namespace ModelZoo.Import.Tflite;

/// <summary>A TFLite file cannot be read: it is not a TFLite FlatBuffer, it is truncated, or an offset, index or buffer
/// it holds points at something that is not there.</summary>
public sealed class TfliteModelException : ZooException
{
    /// <summary>Creates the error for <paramref name="path"/>; <paramref name="message"/> ends with what to do next.</summary>
    public TfliteModelException(string path, string message, Exception? inner = null)
        : base("tflite-invalid-model", message, inner)
    {
        ModelPath = path;
    }

    /// <summary>The <c>.tflite</c> file that could not be read.</summary>
    public string ModelPath { get; }
}
