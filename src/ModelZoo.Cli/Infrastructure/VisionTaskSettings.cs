namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options shared by <c>zoo detect</c>, <c>pose</c>, <c>faces</c> and <c>segment</c>.</summary>
public class VisionTaskSettings : ImageTaskSettings
{
    /// <summary>JSON output.</summary>
    [CommandOption("--json"), Description("Print a JSON array with one object per image.")]
    public bool Json { get; init; }

    /// <summary>Folder for annotated images (and masks).</summary>
    [CommandOption("--save <DIR>"), Description("Write an annotated PNG per image (and mask PNGs for segment) into DIR.")]
    public string? Save { get; init; }

    /// <summary>Score threshold.</summary>
    [CommandOption("--min-score <X>"), Description("Drop results scoring below X (0-1; each command has its own default).")]
    public float? MinScore { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
        (MinScore is { } s && !(s >= 0f && s <= 1f), "--min-score must be between 0 and 1."));
}
