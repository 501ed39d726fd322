namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options of commands that run a model on the CPU through ONNX Runtime: how many threads it may use.</summary>
public class ThreadSettings : ZooCommandSettings
{
    /// <summary>Threads ONNX Runtime may use inside one operator.</summary>
    [CommandOption("--threads <N>"), Description("Threads for ONNX Runtime (default: all cores).")]
    public int? Threads { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
        (Threads is < 0, "--threads must be 0 or more."));

    /// <summary>The session settings these options describe.</summary>
    /// <param name="runtimeLog">Whether ONNX Runtime's own log is shown.</param>
    public virtual SessionSettings Session(bool runtimeLog = false) => new()
    {
        IntraOpThreads = Threads ?? 0,
        RuntimeLog = runtimeLog,
    };
}
