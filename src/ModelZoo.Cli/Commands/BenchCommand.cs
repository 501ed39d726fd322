using System.ComponentModel;
using ModelZoo.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo bench</c>: images/s, latency percentiles and time per stage of a model's whole task pipeline, next to
/// ONNX Runtime alone on the same tensors and session, so a user can choose a model for their machine.</summary>
public sealed class BenchCommand(ZooContext context) : AsyncCommand<BenchCommand.Settings>
{
    /// <summary>Options of <c>zoo bench</c>.</summary>
    public sealed class Settings : RuntimeSettings
    {
        /// <summary>Model handle, or a model file.</summary>
        [CommandArgument(0, "<HANDLE>")]
        [Description("Model handle, as shown by `zoo list` (int8 models from `zoo quantize` too), or a model file (.onnx, or a TFJS model.json).")]
        public string Handle { get; init; } = "";

        /// <summary>Folder of images to run.</summary>
        [CommandOption("--images <DIR>")]
        [Description("Folder (or file) of images to run; default: samples/ in the current folder. Keep it to a few images: their tensors are held for the ONNX Runtime pass.")]
        public string? Images { get; init; }

        /// <summary>Images per pipeline call.</summary>
        [CommandOption("-b|--batch <N>")]
        [Description("Images per pipeline call (default 1); latency is per call.")]
        [DefaultValue(1)]
        public int Batch { get; init; } = 1;

        /// <summary>Measured passes over the images.</summary>
        [CommandOption("--runs <N>")]
        [Description("Measured passes over the images, after one warm-up pass (default 5).")]
        [DefaultValue(5)]
        public int Runs { get; init; } = 5;

        /// <summary>Whether photos are decoded at full size.</summary>
        [CommandOption("--full-decode")]
        [Description("Decode every photo at full size, as the verbs do with --full-decode (by default a JPEG much larger than the model input is decoded smaller by the codec).")]
        public bool FullDecode { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object instead of tables.")]
        public bool Json { get; init; }

        /// <summary>Output decoder for a model file.</summary>
        [CommandOption("--decoder <NAME>")]
        [Description("Model file only: how to read the outputs, which also picks the task (detect, pose, faces, segment, …); default: classification.")]
        public string? Decoder { get; init; }

        /// <summary>Input size for a model file.</summary>
        [CommandOption("--size <N>")]
        [Description("Model file only: input size N or WxH, when the graph does not fix it.")]
        public string? Size { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Batch < 1, "--batch must be at least 1."),
            (Runs < 1, "--runs must be at least 1."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var paths = BenchImages(settings.Images, context.Status);
        var card = ResolveCard(settings);
        var descriptor = TaskRegistry.Default.Get(card.Task);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        var report = await descriptor.Accept(new BenchRun(context, model, paths, settings.Batch, settings.Runs,
            new ImageTaskOptions { BatchSize = settings.Batch, Session = settings.Session(runtimeLog: settings.Verbose), ScaledDecode = !settings.FullDecode },
            cancellationToken)).ConfigureAwait(false);
        if (settings.Json)
        {
            report.WriteJson(context.Output);
        }
        else
        {
            report.WriteTables(context.Console);
        }
        return 0;
    }

    private Catalog.ModelCard ResolveCard(Settings settings)
    {
        if (!LocalModelCards.IsModelFile(settings.Handle))
        {
            if (settings.Decoder is not null || settings.Size is not null)
            {
                throw new ZooUsageException($"--decoder and --size describe a model file; the card of '{settings.Handle}' already says them (see `zoo info {settings.Handle}`).");
            }
            return context.Catalog.Get(settings.Handle);
        }
        var task = settings.Decoder is { } decoder
            ? TaskRegistry.Default.All.FirstOrDefault(d => d.Decoders?.Contains(decoder, StringComparer.Ordinal) == true)?.Task
                ?? throw new ZooUsageException($"no image task has a decoder named '{decoder}'; pass one of {string.Join(", ", TaskRegistry.Default.All.SelectMany(d => d.Decoders ?? []).Distinct().Order(StringComparer.Ordinal))}.")
            : Catalog.ModelTask.ImageClassification;
        var options = new LocalCardOptions { Decoder = settings.Decoder, Size = settings.Size is null ? null : LocalModelCards.ParseSize(settings.Size) };
        return LocalModelCards.Resolve(context, settings.Handle, task, options);
    }

    /// <summary>The images to run: <paramref name="images"/>, else the samples folder of the current directory.</summary>
    private static IReadOnlyList<string> BenchImages(string? images, IAnsiConsole status)
    {
        if (images is not null)
        {
            return ImagePaths.Expand([images], status);
        }
        var samples = Path.Combine(Directory.GetCurrentDirectory(), "samples");
        if (!Directory.Exists(samples))
        {
            throw new ZooUsageException("no images to run: there is no samples/ folder here; pass --images DIR with a few photos like the ones you will run.");
        }
        return ImagePaths.Expand([samples], status);
    }
}
