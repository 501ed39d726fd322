using ModelZoo.Runtime;
using ModelZoo.Tasks;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options shared by commands that run an image model over files.</summary>
public class ImageTaskSettings : RuntimeSettings
{
    /// <summary>Model handle, or a model file.</summary>
    [CommandArgument(0, "<HANDLE>"), Description("Model handle, as shown by `zoo list`, or a model file (.onnx, or a TFJS model.json).")]
    public string Handle { get; init; } = "";

    /// <summary>Images or folders.</summary>
    [CommandArgument(1, "<PATH>"), Description("Image files or folders of images.")]
    public string[] Paths { get; init; } = [];

    /// <summary>Batch size.</summary>
    [CommandOption("-b|--batch <N>"), Description("Images per inference call (default 8)."), DefaultValue(8)]
    public int Batch { get; init; } = 8;

    /// <summary>Whether photos are decoded at full size even when the model input is much smaller.</summary>
    [CommandOption("--full-decode"), Description("Decode every photo at full size (by default a JPEG much larger than the model input is decoded smaller by the codec, which is faster; results are in the photo's pixels either way).")]
    public bool FullDecode { get; init; }

    /// <summary>Class names for a model file.</summary>
    [CommandOption("--labels <FILE>"), Description("Model file only: class names, one per line (or builtin:NAME, e.g. builtin:coco80).")]
    public string? Labels { get; init; }

    /// <summary>Normalisation mean for a model file.</summary>
    [CommandOption("--mean <VALUES>"), Description("Model file only: per-channel mean after scaling pixels to [[0,1]], e.g. 0.485,0.456,0.406.")]
    public string? Mean { get; init; }

    /// <summary>Normalisation standard deviation for a model file.</summary>
    [CommandOption("--std <VALUES>"), Description("Model file only: per-channel standard deviation, e.g. 0.229,0.224,0.225.")]
    public string? Std { get; init; }

    /// <summary>Input size for a model file.</summary>
    [CommandOption("--size <N>"), Description("Model file only: input size N or WxH, when the graph does not fix it.")]
    public string? Size { get; init; }

    /// <summary>Output decoder for a model file.</summary>
    [CommandOption("--decoder <NAME>"), Description("Model file only: how to read the outputs (detect, pose, faces, segment); the error lists the choices.")]
    public string? Decoder { get; init; }

    /// <summary>What the local-model options say (all null for a catalog handle).</summary>
    public LocalCardOptions LocalCard() => LocalModelCards.FromFlags(Labels, Mean, Std, Size, Decoder);

    /// <summary>Whether any model-file option was given.</summary>
    public bool HasLocalCardOptions => Labels is not null || Mean is not null || Std is not null || Size is not null || Decoder is not null;

    /// <summary>The card for <see cref="Handle"/>: the catalog's, or one inferred from the model file it names.</summary>
    public Catalog.ModelCard ResolveCard(ZooContext context, Catalog.ModelTask task) =>
        LocalModelCards.Resolve(context, Handle, task, HasLocalCardOptions ? LocalCard() : null);

    /// <inheritdoc />
    public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
        (Batch < 1, "--batch must be at least 1."));

    /// <summary>The pipeline options these settings describe.</summary>
    public ImageTaskOptions ToOptions() => new()
    {
        BatchSize = Batch,
        ScaledDecode = !FullDecode,
        Session = Session(runtimeLog: Verbose),
    };
}
