using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ModelZoo.Benchmarks;

/// <summary>
/// ML.NET 5 doing the transfer-learning job the way its documentation shows: LoadImages → ResizeImages(224) →
/// ExtractPixels → DnnFeaturizeImage(ResNet18) → LbfgsMaximumEntropy, trained and scored on a given split.
/// </summary>
internal static class MlNetBaseline
{
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
