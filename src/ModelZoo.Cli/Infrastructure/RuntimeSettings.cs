namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options of commands that run a model through ONNX Runtime: its threads and its execution provider.</summary>
public class RuntimeSettings : ThreadSettings, IDeviceSettings
{
    /// <summary>Execution provider.</summary>
    [CommandOption("--device <DEVICE>"), Description("cpu or cuda (default: ZOO_DEVICE, else cpu); cuda needs the CUDA build of zoo and CUDA 13, and fails rather than falling back."), TypeConverter(typeof(ChoiceConverter<ExecutionProvider>))]
    public ExecutionProvider? Device { get; set; }

    /// <inheritdoc />
    public override SessionSettings Session(bool runtimeLog = false) =>
        base.Session(runtimeLog) with { Provider = Device ?? ExecutionProvider.Cpu };
}
