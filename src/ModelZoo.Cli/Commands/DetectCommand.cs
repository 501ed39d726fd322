using System.Globalization;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo detect</c>: labelled boxes in images.</summary>
public sealed class DetectCommand(ZooContext context) : AsyncCommand<DetectCommand.Settings>
{
    /// <summary>Options of <c>zoo detect</c> (--min-score defaults to 0.25).</summary>
    public sealed class Settings : VisionTaskSettings;

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.ObjectDetection);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var detector = ObjectDetector.Open(model, settings.ToOptions());
        var options = new DetectionOptions { ScoreThreshold = settings.MinScore ?? 0.25f };
        var results = await VisionRun.RunAsync(context, paths, "detecting", settings.Save, image =>
        {
            var detections = detector.Detect(image, options);
            return (detections, new Annotations { Detections = detections });
        }, null, cancellationToken).ConfigureAwait(false);

        if (settings.Json)
        {
            VisionRun.WriteJson(context, results, (writer, result) =>
            {
                ResultJson.WriteDetections(writer, result.Value);
            });
        }
        else
        {
            foreach (var result in results)
            {
                Formatting.WriteHeading(context.Console, result.Path);
                if (result.Value.Count == 0)
                {
                    context.Console.MarkupLine("  [yellow]nothing detected[/] [grey](try --min-score lower)[/]");
                    continue;
                }
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn("Label").AddColumn(new TableColumn("Score").RightAligned()).AddColumn("Box (x, y, w, h)");
                foreach (var d in result.Value)
                {
                    table.AddRow(Markup.Escape(d.Label), d.Score.ToString("P1", CultureInfo.InvariantCulture),
                        string.Create(CultureInfo.InvariantCulture, $"{d.Box.X:0}, {d.Box.Y:0}, {d.Box.Width:0}, {d.Box.Height:0}"));
                }
                context.Console.Write(table);
                if (result.SavedImage is not null)
                {
                    Formatting.WriteWhole(context.Console, $"saved [blue]{Markup.Escape(Formatting.DisplayPath(result.SavedImage))}[/]");
                }
            }
        }
        return results.Count == 0 ? 1 : 0;
    }
}
