namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// Options shared by commands that run a text-embedding model: <c>[HANDLE] TEXT…</c> or <c>--file F</c>. A first argument
/// that is exactly the handle of a catalog text-embedding model picks the model; otherwise every argument is text and
/// the model is <see cref="DefaultHandle"/> (or <c>--model</c>).
/// </summary>
public class TextTaskSettings : RuntimeSettings
{
    /// <summary>The model used when none is named.</summary>
    public const string DefaultHandle = "text/all-minilm-l6-v2/embedding";

    /// <summary>An optional model handle followed by texts.</summary>
    [CommandArgument(0, "[TEXT]"), Description("Texts; a first argument that is a text-embedding handle (see `zoo list --task text-embedding`) picks the model.")]
    public string[] Arguments { get; init; } = [];

    /// <summary>Model handle, instead of a leading handle argument.</summary>
    [CommandOption("-m|--model <HANDLE>"), Description("Text-embedding model (default " + DefaultHandle + "), or a catalog text model's own model file with its tokenizer files beside it.")]
    public string? Model { get; init; }

    /// <summary>A UTF-8 file with one text per line.</summary>
    [CommandOption("--file <FILE>"), Description("Read texts from a UTF-8 file, one per line (blank lines are skipped).")]
    public string? File { get; init; }

    /// <summary>Texts per inference call.</summary>
    [CommandOption("-b|--batch <N>"), Description("Texts per inference call (default 32)."), DefaultValue(32)]
    public int Batch { get; init; } = 32;

    /// <inheritdoc />
    public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
        (Batch < 1, "--batch must be at least 1."));

    /// <summary>The pipeline options these settings describe.</summary>
    public TextEmbedderOptions ToOptions() => new()
    {
        BatchSize = Batch,
        Session = Session(),
    };
}
