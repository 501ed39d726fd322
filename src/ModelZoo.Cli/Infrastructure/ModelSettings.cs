namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options of a command that runs one model given as a catalog handle or as a model file, with the flags that
/// describe a bare file (its labels, normalisation, input size and decoder) where the file itself does not say.</summary>
public class ModelSettings : RuntimeSettings
{
    /// <summary>Model handle, or a model file.</summary>
    [CommandArgument(0, "<HANDLE>"), Description("Model handle, as shown by `zoo list`, or a model file (.onnx, or a TFJS model.json).")]
    public string Handle { get; init; } = "";

    /// <summary>Class names for a model file.</summary>
    [CommandOption("--labels <FILE>"), Description("Model file only: class names, one per line (or builtin:NAME, e.g. builtin:coco80).")]
    public string? Labels { get; init; }

    /// <summary>Normalisation mean for a model file.</summary>
    [CommandOption("--mean <VALUES>"), Description("Model file only: per-channel mean after scaling pixels to [[0,1]], e.g. 0.485,0.456,0.406.")]
    public string? Mean { get; init; }

    /// <summary>Normalisation standard deviation for a model file.</summary>
    [CommandOption("--std <VALUES>"), Description("Model file only: per-channel standard deviation, e.g. 0.229,0.224,0.225.")]
    public string? Std { get; init; }

    /// <summary>Input size for a model file whose graph leaves it open.</summary>
    [CommandOption("--size <N>"), Description("Model file only: input size N or WxH, when the graph does not fix it.")]
    public string? Size { get; init; }

    /// <summary>Output decoder for a model file.</summary>
    [CommandOption("--decoder <NAME>"), Description("Model file only: how to read the outputs of a detection, pose, face or segmentation model; the error lists the choices.")]
    public string? Decoder { get; init; }

    /// <summary>What the model-file flags say (all null for a catalog handle).</summary>
    public LocalCardOptions LocalCard() => LocalModelCards.FromFlags(Labels, Mean, Std, Size, Decoder);

    /// <summary>Whether any model-file flag was given.</summary>
    public bool HasLocalCardOptions => Labels is not null || Mean is not null || Std is not null || Size is not null || Decoder is not null;

    /// <summary>The card for <see cref="Handle"/>: the catalog's, or one inferred from the model file it names.</summary>
    public Catalog.ModelCard ResolveCard(ZooContext context, Catalog.ModelTask task) =>
        LocalModelCards.Resolve(context, Handle, task, HasLocalCardOptions ? LocalCard() : null);
}
