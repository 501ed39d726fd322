namespace ModelZoo.Tasks;

/// <summary>Options of <see cref="TextEmbedder"/>.</summary>
public sealed record TextEmbedderOptions
{
    /// <summary>ONNX Runtime session settings (threads, provider).</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Texts per inference call; each call pads its texts to the longest of them.</summary>
    public int BatchSize { get; init; } = 32;
}
