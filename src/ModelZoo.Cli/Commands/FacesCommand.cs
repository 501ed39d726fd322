using System.ComponentModel;
using System.Globalization;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo faces</c>: face boxes and landmarks, optionally with age, gender and emotion.</summary>
public sealed class FacesCommand(ZooContext context) : AsyncCommand<FacesCommand.Settings>
{
    /// <summary>Options of <c>zoo faces</c> (--min-score defaults to 0.5).</summary>
    public sealed class Settings : VisionTaskSettings
    {
        /// <summary>Face-attribute models run on each face.</summary>
        [CommandOption("--attributes <HANDLE>")]
        [Description("A face-attributes model (age, gender, emotion) to run on each face; repeat for several.")]
        public string[] Attributes { get; init; } = [];
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.FaceDetection);
        var attributeCards = settings.Attributes.Select(context.Catalog.Get).ToList();
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var models = await PullProgressDisplay.PullAsync(context, [card, .. attributeCards], cancellationToken).ConfigureAwait(false);
        using var detector = FaceDetector.Open(models[0], settings.ToOptions());
        using var attributes = attributeCards.Count > 0 ? FaceAttributes.Open(models.Skip(1).ToList(), settings.ToOptions()) : null;
        var options = new FaceOptions { ScoreThreshold = settings.MinScore ?? 0.5f };
        var results = await VisionRun.RunAsync(context, paths, "finding faces", settings.Save, image =>
        {
            var faces = detector.Detect(image, options);
            if (attributes is not null)
            {
                faces = attributes.Apply(image, faces);
            }
            return (faces, new Annotations { Faces = faces });
        }, null, cancellationToken).ConfigureAwait(false);

        if (settings.Json)
        {
            VisionRun.WriteJson(context, results, (writer, result) =>
            {
                ResultJson.WriteFaces(writer, result.Value);
            });
        }
        else
        {
            foreach (var result in results)
            {
                Formatting.WriteHeading(context.Console, result.Path);
                if (result.Value.Count == 0)
                {
                    context.Console.MarkupLine("  [yellow]no faces found[/] [grey](try --min-score lower, or a model for larger or smaller faces: `zoo list --task face-detection`)[/]");
                    continue;
                }
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn(new TableColumn("Score").RightAligned()).AddColumn("Box (x, y, w, h)").AddColumn("Attributes");
                foreach (var face in result.Value)
                {
                    table.AddRow(face.Score.ToString("P1", CultureInfo.InvariantCulture),
                        string.Create(CultureInfo.InvariantCulture, $"{face.Box.X:0}, {face.Box.Y:0}, {face.Box.Width:0}, {face.Box.Height:0}"),
                        Markup.Escape(Describe(face)));
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

    private static string Describe(Face face)
    {
        var parts = new List<string>();
        if (face.Age is float age) parts.Add(string.Create(CultureInfo.InvariantCulture, $"age {age:0}"));
        if (face.Gender is not null) parts.Add(face.Gender);
        if (face.Emotion is not null) parts.Add(face.Emotion);
        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }
}
