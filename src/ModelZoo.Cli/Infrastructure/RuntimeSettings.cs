using System.ComponentModel;
using ModelZoo.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options of commands that run a model through ONNX Runtime: its threads and its execution provider.</summary>
public class RuntimeSettings : ZooCommandSettings, IDeviceSettings
{
    /// <summary>Threads ONNX Runtime may use inside one operator.</summary>
    [CommandOption("--threads <N>")]
    [Description("Threads for ONNX Runtime (default: all cores).")]
    public int? Threads { get; init; }

    /// <summary>Execution provider.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("cpu or cuda (default: ZOO_DEVICE, else cpu); cuda needs the CUDA build of zoo and CUDA 13, and fails rather than falling back.")]
    [TypeConverter(typeof(ChoiceConverter<ExecutionProvider>))]
    public ExecutionProvider? Device { get; set; }

    /// <inheritdoc />
    public override ValidationResult Validate() =>
        Threads is < 0 ? ValidationResult.Error("--threads must be 0 or more.") : base.Validate();

    /// <summary>The session settings these options describe.</summary>
    /// <param name="runtimeLog">Whether ONNX Runtime's own log is shown.</param>
    public SessionSettings Session(bool runtimeLog = false) => new()
    {
        IntraOpThreads = Threads ?? 0,
        Provider = Device ?? ExecutionProvider.Cpu,
        RuntimeLog = runtimeLog,
    };
}
