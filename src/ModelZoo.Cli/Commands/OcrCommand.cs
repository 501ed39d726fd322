using ModelZoo.Imaging;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo ocr [HANDLE] PATH...</c>: find and read the text lines in images.</summary>
public sealed class OcrCommand(ZooContext context) : AsyncCommand<OcrCommand.Settings>
{
    /// <summary>Options of <c>zoo ocr</c>.</summary>
    public sealed class Settings : RuntimeSettings
    {
        /// <summary>An optional pipeline handle followed by images or folders.</summary>
        [CommandArgument(0, "<PATH>"), Description("[[HANDLE]] then image files or folders. HANDLE is an OCR pipeline (default ocr/ppocrv4: PP-OCRv4 det + rec with the PP-OCR mobile v2 direction classifier).")]
        public string[] Arguments { get; init; } = [];

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print JSON: one object per image with \"image\" and \"lines\" (\"text\", \"confidence\", \"polygon\" as four [[x,y]] points, \"words\").")]
        public bool Json { get; init; }

        /// <summary>Folder for annotated images.</summary>
        [CommandOption("--save <DIR>"), Description("Write each image with its line polygons and text drawn on it to DIR/<name>.png.")]
        public string? Save { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Arguments.Length == 0, "pass one or more image files or folders."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var (handle, inputs) = SplitHandle(settings.Arguments);
        var models = TextSpotterModels.Resolve(context.Catalog, handle);
        var paths = ImagePaths.Expand(inputs, context.Status);
        if (settings.Save is not null)
        {
            Directory.CreateDirectory(settings.Save);
        }
        var local = await PullProgressDisplay.PullAsync(context, models.Cards, cancellationToken).ConfigureAwait(false);
        var options = new TextSpotterOptions
        {
            Session = settings.Session(),
        };
        using var spotter = TextSpotter.Open(local[0], local[1], local.Count > 2 ? local[2] : null, options);
        var results = new List<ImageOutcome<OcrResult>>(paths.Count);
        await ImageProgress.RunAsync(context, "reading text", paths.Count, async tick =>
        {
            await foreach (var outcome in spotter.ReadFilesAsync(paths, cancellationToken).ConfigureAwait(false))
            {
                results.Add(outcome);
                if (outcome.Error is { } error)
                {
                    context.Status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(error.Message)}");
                }
                else if (settings.Save is not null)
                {
                    Save(outcome, settings.Save);
                }
                tick();
            }
        }).ConfigureAwait(false);
        var succeeded = results.Where(r => r.Succeeded).ToList();
        if (settings.Json)
        {
            WriteJson(succeeded);
        }
        else
        {
            WriteTables(succeeded);
        }
        return succeeded.Count == 0 ? 1 : 0;
    }

    /// <summary>The first argument is a handle when it is not a file or folder and the catalog knows it as an OCR pipeline.</summary>
    private (string Handle, string[] Inputs) SplitHandle(string[] arguments)
    {
        var first = arguments[0];
        if (!File.Exists(first) && !Directory.Exists(first)
            && (context.Catalog.TryGet(first, out _) || context.Catalog.TryGet(first.TrimEnd('/') + "/det", out _)))
        {
            if (arguments.Length == 1)
            {
                throw new ZooUsageException($"no images given after '{first}'; pass one or more image files or folders.");
            }
            return (first, arguments[1..]);
        }
        return (TextSpotterModels.DefaultHandle, arguments);
    }

    private void Save(ImageOutcome<OcrResult> outcome, string folder)
    {
        using var image = ImageDecoder.Decode(outcome.Path);
        var target = Path.Combine(folder, Path.GetFileNameWithoutExtension(outcome.Path) + ".png");
        File.WriteAllBytes(target, OcrAnnotator.RenderPng(image, outcome.Value!));
    }

    private void WriteTables(List<ImageOutcome<OcrResult>> results)
    {
        foreach (var result in results)
        {
            Formatting.WriteHeading(context.Console, result.Path);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("#").AddColumn("Text").AddColumn(new TableColumn("Confidence").RightAligned());
            var number = 1;
            foreach (var line in result.Value!.Lines)
            {
                table.AddRow((number++).ToString(CultureInfo.InvariantCulture), Markup.Escape(line.Text),
                    line.Confidence.ToString("P1", CultureInfo.InvariantCulture));
            }
            if (result.Value.Lines.Count == 0)
            {
                table.AddRow("", "[grey](no text found)[/]", "");
            }
            context.Console.Write(table);
        }
    }

    private void WriteJson(List<ImageOutcome<OcrResult>> results) =>
        JsonArrayOutput.Write(context, results, (writer, result) =>
        {
            writer.WriteString("image", result.Path);
            ResultJson.WriteLines(writer, result.Value!.Lines);
        }, JsonArrayOutput.Readable);
}
