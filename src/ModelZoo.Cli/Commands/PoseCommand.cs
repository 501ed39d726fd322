using System.Globalization;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo pose</c>: body keypoints in images.</summary>
public sealed class PoseCommand(ZooContext context) : AsyncCommand<PoseCommand.Settings>
{
    /// <summary>Options of <c>zoo pose</c> (--min-score is the minimum pose score, default 0.2).</summary>
    public sealed class Settings : VisionTaskSettings;

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.PoseEstimation);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var estimator = PoseEstimator.Open(model, settings.ToOptions());
        var options = new PoseOptions { MinScore = settings.MinScore ?? 0.2f };
        var results = await VisionRun.RunAsync(context, paths, "estimating poses", settings.Save, image =>
        {
            var poses = estimator.Estimate(image, options);
            return (poses, new Annotations { Poses = poses });
        }, null, cancellationToken).ConfigureAwait(false);

        if (settings.Json)
        {
            VisionRun.WriteJson(context, results, (writer, result) =>
            {
                ResultJson.WritePoses(writer, result.Value);
            });
        }
        else
        {
            foreach (var result in results)
            {
                Formatting.WriteHeading(context.Console, result.Path, $": {result.Value.Count} pose(s)");
                var index = 1;
                foreach (var pose in result.Value)
                {
                    var table = new Table().Border(TableBorder.Rounded)
                        .Title(string.Create(CultureInfo.InvariantCulture, $"pose {index++} ({pose.Score:P1})"))
                        .AddColumn("Keypoint").AddColumn(new TableColumn("X").RightAligned()).AddColumn(new TableColumn("Y").RightAligned())
                        .AddColumn(new TableColumn("Score").RightAligned());
                    foreach (var k in pose.Keypoints)
                    {
                        table.AddRow(k.Name, k.X.ToString("0", CultureInfo.InvariantCulture), k.Y.ToString("0", CultureInfo.InvariantCulture),
                            k.Score.ToString("P0", CultureInfo.InvariantCulture));
                    }
                    context.Console.Write(table);
                }
                if (result.SavedImage is not null)
                {
                    Formatting.WriteWhole(context.Console, $"saved [blue]{Markup.Escape(Formatting.DisplayPath(result.SavedImage))}[/]");
                }
            }
        }
        return results.Count == 0 ? 1 : 0;
    }
}
