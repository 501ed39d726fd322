namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo embed</c>: feature vectors of images.</summary>
public sealed class EmbedCommand(ZooContext context) : AsyncCommand<EmbedCommand.Settings>
{
    /// <summary>Options of <c>zoo embed</c>.</summary>
    public sealed class Settings : ImageTaskSettings
    {
        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>"), Description("json (default), csv or npy."), DefaultValue("json"), TypeConverter(typeof(ChoiceConverter<FeatureFormat>))]
        public FeatureFormat Format { get; init; }

        /// <summary>Output file.</summary>
        [CommandOption("-o|--out <FILE>"), Description("Write to this file instead of standard output (required for npy).")]
        public string? Out { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Format == FeatureFormat.Npy && Out is null, "--format npy writes binary data; give a file with --out FILE.npy."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var descriptor = TaskRegistry.Default.Get<float[], FeatureVectorOptions>(ModelZoo.Catalog.ModelTask.ImageFeatureVector);
        var card = settings.ResolveCard(context, descriptor.Task);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var extractor = descriptor.Open(model, settings.ToOptions());
        var results = await VisionRun.RunAsync(context, descriptor, extractor, paths, descriptor.DefaultOptions, null, cancellationToken, "embedding")
            .ConfigureAwait(false);
        var rows = results.Select(r => (Image: r.Path, Vector: r.Value)).ToList();
        var failed = paths.Count - rows.Count;
        if (settings.Verbose)
        {
            VisionRun.WriteTimings(context, extractor.Timings);
        }
        if (settings.Out is null)
        {
            using var stdout = new MemoryStream();
            FeatureWriter.Write(stdout, settings.Format, rows);
            context.Output.Write(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
            context.Output.Flush();
        }
        else
        {
            var full = Path.GetFullPath(settings.Out);
            var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            await using (var file = File.Create(temp))
            {
                FeatureWriter.Write(file, settings.Format, rows);
            }
            File.Move(temp, full, overwrite: true);
            context.Status.MarkupLine($"wrote {rows.Count} vector(s) to [bold]{Markup.Escape(full)}[/]");
        }
        return failed > 0 && rows.Count == 0 ? 1 : 0;
    }
}
