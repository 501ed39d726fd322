namespace ModelZoo.Catalog;

/// <summary>
/// The single declarative record of everything the library needs to know about one model: what it
/// does, where its files come from and how to check them, its licence, and how to feed and read it.
/// Task code reads preprocessing from here, never from constants.
/// </summary>
public sealed record ModelCard
{
    /// <summary>Unique handle, lower-case words separated by '/', e.g. <c>imagenet/resnet18/feature_vector</c>.</summary>
    public required string Handle { get; init; }

    /// <summary>Version of the card's model (a new file is a new version).</summary>
    public string Version { get; init; } = "1";

    /// <summary>Human-readable title.</summary>
    public string? Title { get; init; }

    /// <summary>One or two sentences on what the model is.</summary>
    public string? Description { get; init; }

    /// <summary>What the model does.</summary>
    public required ModelTask Task { get; init; }

    /// <summary>Published format.</summary>
    public ModelFormat Format { get; init; } = ModelFormat.Onnx;

    /// <summary>Files, the first with role <c>model</c> being the graph to run.</summary>
    public required IReadOnlyList<ModelFile> Files { get; init; }

    /// <summary>Licence of the weights.</summary>
    public required LicenseInfo License { get; init; }

    /// <summary>Input preprocessing; required for image tasks.</summary>
    public InputSpec? Input { get; init; }

    /// <summary>Tokenisation of text inputs; required for text-embedding models.</summary>
    public TextSpec? Text { get; init; }

    /// <summary>How to read the outputs.</summary>
    public OutputSpec? Output { get; init; }

    /// <summary>Class names, for tasks that have them.</summary>
    public LabelsSpec? Labels { get; init; }

    /// <summary>Where the model was published.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>ONNX opset of the model file, when known.</summary>
    public int? Opset { get; init; }

    /// <summary>Whether the licence allows training on top of the weights.</summary>
    public bool FineTunable { get; init; } = true;

    /// <summary>Free tags for search (architecture family, dataset).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Handle of the float model this one was quantized from; null when it was not quantized by <c>zoo quantize</c>.</summary>
    public string? QuantizedFrom { get; init; }

    /// <summary>How the model was quantized from <see cref="QuantizedFrom"/>, with the agreement measured against it.</summary>
    public QuantizationInfo? Quantization { get; init; }

    /// <summary>The file that holds the graph to run.</summary>
    public ModelFile ModelFile => Files.FirstOrDefault(f => f.Role == "model") ?? Files[0];

    /// <summary>Total download size in bytes.</summary>
    public long TotalSize => Files.Sum(f => f.Size);
}
