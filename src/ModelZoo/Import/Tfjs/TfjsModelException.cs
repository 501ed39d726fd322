namespace ModelZoo.Import.Tfjs;

/// <summary>A TFJS model cannot be read: its <c>model.json</c> is malformed or not a graph model, or a weight shard is
/// missing or shorter than its manifest says.</summary>
public sealed class TfjsModelException : ZooException
{
    /// <summary>Creates the error for <paramref name="path"/>; <paramref name="message"/> ends with what to do next.</summary>
    public TfjsModelException(string path, string message, Exception? inner = null)
        : base(ZooErrors.TfjsInvalidModel, message, inner)
    {
        ModelPath = path;
    }

    /// <summary>The <c>model.json</c> (or shard) that could not be read.</summary>
    public string ModelPath { get; }
}
