namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options shared by commands that run an image model over files.</summary>
public class ImageTaskSettings : ModelSettings
{
    /// <summary>Images or folders.</summary>
    [CommandArgument(1, "<PATH>"), Description("Image files or folders of images.")]
    public string[] Paths { get; init; } = [];

    /// <summary>Batch size.</summary>
    [CommandOption("-b|--batch <N>"), Description("Images per inference call (default 8)."), DefaultValue(8)]
    public int Batch { get; init; } = 8;

    /// <summary>Whether photos are decoded at full size even when the model input is much smaller.</summary>
    [CommandOption("--full-decode"), Description("Decode every photo at full size (by default a JPEG much larger than the model input is decoded smaller by the codec, which is faster; results are in the photo's pixels either way).")]
    public bool FullDecode { get; init; }

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
