using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo classify</c>: top-K classes of images.</summary>
public sealed class ClassifyCommand(ZooContext context) : AsyncCommand<ClassifyCommand.Settings>
{
    /// <summary>Options of <c>zoo classify</c>.</summary>
    public sealed class Settings : ImageTaskSettings
    {
        /// <summary>How many classes to show.</summary>
        [CommandOption("-k|--top <K>")]
        [Description("Number of classes per image (default 5).")]
        [DefaultValue(5)]
        public int Top { get; init; } = 5;

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print [[{\"image\", \"predictions\": [[{\"label\", \"index\", \"score\"}]]}]].")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Top < 1 ? ValidationResult.Error("--top must be at least 1.") : base.Validate();
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.ImageClassification);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var classifier = ImageClassifier.Open(model, settings.ToOptions());
        var results = new List<ImageOutcome<IReadOnlyList<Prediction>>>(paths.Count);
        await ImageProgress.RunAsync(context, "classifying", paths.Count, async tick =>
        {
            await foreach (var outcome in classifier.ClassifyFilesAsync(paths, settings.Top, cancellationToken).ConfigureAwait(false))
            {
                results.Add(outcome);
                if (outcome.Error is { } error)
                {
                    context.Status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(error.Message)}");
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
            foreach (var result in succeeded)
            {
                Formatting.WriteHeading(context.Console, result.Path);
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn("#").AddColumn("Label").AddColumn(new TableColumn("Score").RightAligned()).AddColumn(new TableColumn("Index").RightAligned());
                var rank = 1;
                foreach (var p in result.Value!)
                {
                    table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), Markup.Escape(p.Label),
                        p.Score.ToString("P1", CultureInfo.InvariantCulture), p.Index.ToString(CultureInfo.InvariantCulture));
                }
                context.Console.Write(table);
            }
        }
        return succeeded.Count == 0 ? 1 : 0;
    }

    private void WriteJson(List<ImageOutcome<IReadOnlyList<Prediction>>> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("image", result.Path);
                writer.WriteStartArray("predictions");
                foreach (var p in result.Value!)
                {
                    writer.WriteStartObject();
                    writer.WriteString("label", p.Label);
                    writer.WriteNumber("index", p.Index);
                    writer.WriteNumber("score", p.Score);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        context.Output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        context.Output.Flush();
    }
}
