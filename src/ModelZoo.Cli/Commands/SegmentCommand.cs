using System.Globalization;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo segment</c>: per-pixel masks of images.</summary>
public sealed class SegmentCommand(ZooContext context) : AsyncCommand<SegmentCommand.Settings>
{
    /// <summary>Options of <c>zoo segment</c> (--min-score is the mask probability threshold, default 0.5).</summary>
    public sealed class Settings : VisionTaskSettings;

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.ImageSegmentation);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var segmenter = Segmenter.Open(model, settings.ToOptions());
        var options = new SegmentationOptions { Threshold = settings.MinScore ?? 0.5f };
        var results = await VisionRun.RunAsync(context, paths, "segmenting", settings.Save, image =>
        {
            var masks = segmenter.Segment(image, options);
            return (new SavedMasks(masks, []), new Annotations { Masks = masks });
        }, (value, stem) =>
        {
            var files = value.Masks.Select(mask =>
            {
                var file = $"{stem}.mask-{Sanitize(mask.Label)}.png";
                mask.SavePng(file);
                return file;
            }).ToList();
            return value with { Files = files };
        }, cancellationToken).ConfigureAwait(false);

        if (settings.Json)
        {
            VisionRun.WriteJson(context, results, (writer, result) =>
            {
                writer.WriteStartArray("masks");
                for (var i = 0; i < result.Value.Masks.Count; i++)
                {
                    var mask = result.Value.Masks[i];
                    writer.WriteStartObject();
                    writer.WriteString("label", mask.Label);
                    writer.WriteNumber("coverage", Math.Round(mask.Coverage, 4));
                    writer.WriteNumber("width", mask.Width);
                    writer.WriteNumber("height", mask.Height);
                    if (i < result.Value.Files.Count)
                    {
                        writer.WriteString("path", result.Value.Files[i]);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            });
        }
        else
        {
            foreach (var result in results)
            {
                Formatting.WriteHeading(context.Console, result.Path);
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn("Label").AddColumn(new TableColumn("Coverage").RightAligned()).AddColumn("Mask file");
                for (var i = 0; i < result.Value.Masks.Count; i++)
                {
                    var mask = result.Value.Masks[i];
                    table.AddRow(Markup.Escape(mask.Label), mask.Coverage.ToString("P1", CultureInfo.InvariantCulture),
                        Markup.Escape(i < result.Value.Files.Count ? result.Value.Files[i] : "-"));
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

    private static string Sanitize(string label) =>
        string.Concat(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    /// <summary>Masks of one image and the PNG files written for them.</summary>
    private sealed record SavedMasks(IReadOnlyList<SegmentationMask> Masks, IReadOnlyList<string> Files);
}
