using System.ComponentModel;
using ModelZoo.Runtime;
using ModelZoo.Tasks;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options shared by commands that run an image model over files.</summary>
public class ImageTaskSettings : ZooCommandSettings
{
    /// <summary>Model handle.</summary>
    [CommandArgument(0, "<HANDLE>")]
    [Description("Model handle, as shown by `zoo list`.")]
    public string Handle { get; init; } = "";

    /// <summary>Images or folders.</summary>
    [CommandArgument(1, "<PATH>")]
    [Description("Image files or folders of images.")]
    public string[] Paths { get; init; } = [];

    /// <summary>Batch size.</summary>
    [CommandOption("-b|--batch <N>")]
    [Description("Images per inference call (default 8).")]
    [DefaultValue(8)]
    public int Batch { get; init; } = 8;

    /// <summary>Threads ONNX Runtime may use inside one operator.</summary>
    [CommandOption("--threads <N>")]
    [Description("Threads for ONNX Runtime (default: all cores).")]
    public int? Threads { get; init; }

    /// <summary>Execution provider.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("cpu (default) or cuda (needs the ONNX Runtime GPU package and CUDA).")]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    /// <inheritdoc />
    public override Spectre.Console.ValidationResult Validate()
    {
        if (Batch < 1)
        {
            return Spectre.Console.ValidationResult.Error("--batch must be at least 1.");
        }
        if (Threads is < 0)
        {
            return Spectre.Console.ValidationResult.Error("--threads must be 0 or more.");
        }
        if (Device is not ("cpu" or "cuda"))
        {
            return Spectre.Console.ValidationResult.Error("--device must be cpu or cuda.");
        }
        return base.Validate();
    }

    /// <summary>The pipeline options these settings describe.</summary>
    public ImageTaskOptions ToOptions() => new()
    {
        BatchSize = Batch,
        Session = new SessionSettings
        {
            IntraOpThreads = Threads ?? 0,
            Provider = Device == "cuda" ? ExecutionProvider.Cuda : ExecutionProvider.Cpu,
        },
    };
}
