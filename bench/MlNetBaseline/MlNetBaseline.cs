using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ModelZoo.Benchmarks.MlNet;

/// <summary>
/// ML.NET 5 doing the transfer-learning job the way its documentation shows: LoadImages → ResizeImages(224) →
/// ExtractPixels → DnnFeaturizeImage(ResNet18) → LbfgsMaximumEntropy, trained and scored on a given split.
/// </summary>
internal static class MlNetBaseline
{
    /// <summary>Reads a split file (lines: <c>train|validation TAB path TAB label</c>), trains, scores, and prints one JSON line.</summary>
    public static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: MlNetBaseline SPLIT.tsv [SEED]");
            return 2;
        }
        var rows = File.ReadAllLines(args[0]).Select(l => l.Split('\t')).ToList();
        var seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var result = Run(
            rows.Where(r => r[0] == "train").Select(r => (r[1], r[2])).ToList(),
            rows.Where(r => r[0] == "validation").Select(r => (r[1], r[2])).ToList(), seed);
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            accuracy = result.Accuracy,
            fitSeconds = result.Train.TotalSeconds,
            scoreSeconds = result.Score.TotalSeconds,
            train = result.TrainImages,
            validation = result.ValidationImages,
        }));
        return 0;
    }

    public sealed record Result(double Accuracy, TimeSpan Train, TimeSpan Score, int TrainImages, int ValidationImages);

    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    public static Result Run(IReadOnlyList<(string Path, string Label)> train, IReadOnlyList<(string Path, string Label)> validation, int seed)
    {
        var ml = new MLContext(seed);
        var trainData = ml.Data.LoadFromEnumerable(train.Select(x => new Row { ImagePath = x.Path, Label = x.Label }));
        var validationData = ml.Data.LoadFromEnumerable(validation.Select(x => new Row { ImagePath = x.Path, Label = x.Label }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(Row.Label))
            .Append(ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(Row.ImagePath)))
            .Append(ml.Transforms.ResizeImages("Image", 224, 224))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "Features"));

        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(trainData);
        var trainTime = clock.Elapsed;
        clock.Restart();
        var scored = model.Transform(validationData);
        var metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "LabelKey");
        return new Result(metrics.MicroAccuracy, trainTime, clock.Elapsed, train.Count, validation.Count);
    }
}
