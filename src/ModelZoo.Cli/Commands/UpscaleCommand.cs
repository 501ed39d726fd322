namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo upscale</c>: super-resolution of images, written as PNGs; output, JSON and console view come from
/// <see cref="SuperResolutionTask"/>.</summary>
public sealed class UpscaleCommand(ZooContext context) : AsyncCommand<UpscaleCommand.Settings>
{
    private static readonly SuperResolutionTask Task = (SuperResolutionTask)TaskRegistry.Default.Get(Catalog.ModelTask.SuperResolution);

    /// <summary>Options of <c>zoo upscale</c>.</summary>
    public sealed class Settings : ImageTaskSettings
    {
        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>"), Description("Folder for the upscaled PNGs, named <image>_x<scale>.png (default: the current folder).")]
        public string Out { get; init; } = ".";

        /// <summary>Tile side.</summary>
        [CommandOption("--tile <N>"), Description("Tile side in input pixels (8-4096, default 128); memory grows with its square, not with the photo.")]
        public int? Tile { get; init; }

        /// <summary>Context around each tile.</summary>
        [CommandOption("--overlap <N>"), Description("Context around each tile in input pixels, cropped after the model ran (0-512, default 16).")]
        public int? Overlap { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print a JSON array with one object per image.")]
        public bool Json { get; init; }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var options = Task.ParseOptions(new TaskOptionValues(
        [
            new(SuperResolutionTask.TileKey, settings.Tile?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(SuperResolutionTask.OverlapKey, settings.Overlap?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]));
        var card = settings.ResolveCard(context, Catalog.ModelTask.SuperResolution);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var upscaler = Upscaler.Open(model, settings.ToOptions());
        Directory.CreateDirectory(settings.Out);
        var stems = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var saved = new List<VisionResult<UpscaledImage>>(paths.Count);
        // Each result is written as soon as it exists and its pixels released, so memory holds one output image.
        await ImageProgress.RunAsync(context, "upscaling", paths.Count, async tick =>
        {
            await foreach (var outcome in upscaler.RunFilesAsync(paths, options, cancellationToken).ConfigureAwait(false))
            {
                if (outcome.Value is not { } value)
                {
                    context.Status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(outcome.Error?.Message ?? outcome.Path)}");
                    tick();
                    continue;
                }
                var stem = Path.GetFileNameWithoutExtension(outcome.Path);
                var unique = stem;
                for (var i = 2; !stems.Add(unique); i++)
                {
                    unique = $"{stem}-{i}";
                }
                var result = Task.SaveFiles(value, Path.Combine(settings.Out, unique));
                value.Image.Dispose();
                saved.Add(new VisionResult<UpscaledImage>(outcome.Path, result, result.SavedPath));
                tick();
            }
        }).ConfigureAwait(false);

        if (settings.Json)
        {
            VisionRun.WriteJson(context, saved, (writer, result) => Task.WriteJson(writer, result.Value, ResultJsonOptions.Files));
        }
        else
        {
            foreach (var result in saved)
            {
                var view = Task.Present(result.Value with { SavedPath = null });
                Formatting.WriteHeading(context.Console, result.Path, view.HeadingSuffix ?? "");
                Formatting.WriteWhole(context.Console, $"saved [blue]{Markup.Escape(Formatting.DisplayPath(result.Value.SavedPath!))}[/]");
            }
        }
        return saved.Count == 0 ? 1 : 0;
    }
}
