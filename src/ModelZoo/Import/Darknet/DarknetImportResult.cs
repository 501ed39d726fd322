using ModelZoo.Onnx;

namespace ModelZoo.Import.Darknet;

/// <summary>The imported model and what the translation found.</summary>
public sealed record DarknetImportResult
{
    /// <summary>The translated ONNX model (opset <see cref="DarknetImporter.Opset"/>), input <c>input</c> [1, C, H, W].</summary>
    public required OnnxModel Model { get; init; }

    /// <summary>Number of cfg sections per layer type (<c>convolutional</c>, <c>yolo</c>, …), the <c>[net]</c> section excluded.</summary>
    public required IReadOnlyDictionary<string, int> LayerCounts { get; init; }

    /// <summary>The weights file's version as <c>major.minor.revision</c>.</summary>
    public required string WeightsVersion { get; init; }

    /// <summary>Images seen in training, from the weights header.</summary>
    public required long Seen { get; init; }

    /// <summary>Number of float32 parameters read from the weights file.</summary>
    public required long ParameterCount { get; init; }

    /// <summary>Input width, height and channels from the cfg's <c>[net]</c> section.</summary>
    public required (int Width, int Height, int Channels) InputSize { get; init; }

    /// <summary>Wall-clock time of the import.</summary>
    public required TimeSpan Elapsed { get; init; }
}
