namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options that describe a model file where its graph cannot: what it does, its class names, normalisation,
/// input size, decoder and licence (<c>zoo card new</c>, <c>zoo import tfjs|tflite</c>).</summary>
public class ModelDescriptionSettings : ZooCommandSettings
{
    /// <summary>What the model does.</summary>
    [CommandOption("-t|--task <TASK>"), Description("What the model does: image-classification, image-feature-vector, object-detection, pose-estimation, face-detection or image-segmentation. Needed unless the file says it: files zoo train, quantize and headless write do, and so does a catalog model's own file.")]
    public string? Task { get; init; }

    /// <summary>Licence of the weights.</summary>
    [CommandOption("--license <SPDX>"), Description("SPDX licence of the weights (default NOASSERTION).")]
    public string? License { get; init; }

    /// <summary>Class names.</summary>
    [CommandOption("--labels <FILE>"), Description("Class names, one per line (or builtin:NAME, e.g. builtin:coco80).")]
    public string? Labels { get; init; }

    /// <summary>Normalisation mean.</summary>
    [CommandOption("--mean <VALUES>"), Description("Per-channel mean after scaling pixels to [[0,1]], e.g. 0.485,0.456,0.406.")]
    public string? Mean { get; init; }

    /// <summary>Normalisation standard deviation.</summary>
    [CommandOption("--std <VALUES>"), Description("Per-channel standard deviation, e.g. 0.229,0.224,0.225.")]
    public string? Std { get; init; }

    /// <summary>Input size.</summary>
    [CommandOption("--size <N>"), Description("Input size N or WxH, when the graph does not fix it.")]
    public string? Size { get; init; }

    /// <summary>Output decoder.</summary>
    [CommandOption("--decoder <NAME>"), Description("How to read the outputs (detection, pose, face and segmentation models).")]
    public string? Decoder { get; init; }

    /// <summary>The task <c>--task</c> names, or null.</summary>
    /// <exception cref="ZooUsageException">The name is no task.</exception>
    public ModelTask? NamedTask() => Task is { } name ? Formatting.ParseTask(name) : null;

    /// <summary>Whether any flag that describes the graph (labels, normalisation, size, decoder) was given.</summary>
    public bool DescribesGraph => Labels is not null || Mean is not null || Std is not null || Size is not null || Decoder is not null;

    /// <summary>The flags as model-file options (the licence included).</summary>
    public LocalCardOptions DescriptionOptions() => LocalModelCards.FromFlags(Labels, Mean, Std, Size, Decoder) with { License = License };
}
