using System.Text.Json;
using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Transfer;

/// <summary>How a classifier did on a labelled image set.</summary>
/// <param name="Model">Handle of the evaluated model.</param>
/// <param name="Labels">The model's classes, in output order (the confusion matrix's rows and columns).</param>
/// <param name="Confusion">Counts by (true class, predicted class).</param>
/// <param name="Images">Every evaluated image.</param>
/// <param name="Skipped">Images that could not be decoded.</param>
public sealed record EvaluationResult(string Model, IReadOnlyList<string> Labels, ConfusionMatrix Confusion,
    IReadOnlyList<EvaluatedImage> Images, IReadOnlyList<SkippedImage> Skipped)
{
    /// <summary>Share of images classified correctly.</summary>
    public double Accuracy => Confusion.Accuracy;

    /// <summary>
    /// <c>{"model","accuracy","images","skipped","labels":[...],"per_class":{label:{"precision","recall","f1","support"}},"confusion":[[...]]}</c>;
    /// confusion rows are true classes, columns predicted classes, both in <see cref="Labels"/> order.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", Model);
            w.WriteNumber("accuracy", Accuracy);
            w.WriteNumber("images", Images.Count);
            w.WriteNumber("skipped", Skipped.Count);
            w.WriteStartArray("labels");
            foreach (var label in Labels)
            {
                w.WriteStringValue(label);
            }

            w.WriteEndArray();
            Confusion.WritePerClass(w, Labels);
            w.WriteStartArray("confusion");
            for (var t = 0; t < Labels.Count; t++)
            {
                w.WriteStartArray();
                for (var p = 0; p < Labels.Count; p++)
                {
                    w.WriteNumberValue(Confusion[t, p]);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <c>grid.png</c> (every image, mistakes first, or the first <paramref name="gridLimit"/>) and
    /// <c>confusion.png</c> into <paramref name="outDir"/>; returns their paths.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gridLimit"/> is negative.</exception>
    public (string Grid, string Confusion) WriteImages(string outDir, int? gridLimit = null)
    {
        if (gridLimit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gridLimit), "the grid limit must be 0 or more, or null for every image.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        Directory.CreateDirectory(outDir);
        var grid = Path.Combine(Path.GetFullPath(outDir), TransferArtifacts.GridFile);
        var confusion = Path.Combine(Path.GetFullPath(outDir), TransferArtifacts.ConfusionFile);
        PredictionThumbnails.Write(grid, Images.Select(i => new PredictionThumbnails.Item(i.Path, i.TrueLabel, i.PredictedLabel, i.Confidence)).ToList(), limit: gridLimit);
        TrainingPlots.WriteConfusion(confusion, Confusion.Counts, Labels);
        return (grid, confusion);
    }
}
