namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options every command accepts.</summary>
public class ZooCommandSettings : CommandSettings
{
    /// <summary>Show stack traces on errors.</summary>
    [CommandOption("-v|--verbose"), Description("Show full error details (stack traces).")]
    public bool Verbose { get; init; }
}
