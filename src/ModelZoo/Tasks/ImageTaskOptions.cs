using ModelZoo.Imaging;
using ModelZoo.Runtime;

namespace ModelZoo.Tasks;

/// <summary>Options shared by the image task pipelines.</summary>
public sealed record ImageTaskOptions
{
    /// <summary>ONNX Runtime session settings (threads, provider, dynamic batch).</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Images per inference call.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Decoder limits.</summary>
    public ImageDecodeOptions? Decode { get; init; }
}
