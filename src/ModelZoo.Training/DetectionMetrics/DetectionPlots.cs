using ScottPlot;

namespace ModelZoo.Training.DetectionMetrics;

/// <summary>Precision/recall curves of a detection validation, drawn with ScottPlot.</summary>
public static class DetectionPlots
{
    /// <summary>Writes a PNG with one curve per class that has labelled objects: COCO's interpolated precision at the
    /// 101 recall thresholds at IoU 0.5, up to the highest recall reached, with each class's AP@0.5 in the legend.</summary>
    /// <param name="path">PNG file to write (written atomically).</param>
    /// <param name="result">The metrics.</param>
    /// <param name="title">The chart's title (the model's handle).</param>
    public static void WritePrecisionRecall(string path, DetectionMetricsResult result, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        foreach (var c in result.PerClass.Where(c => c.Ap50 is not null))
        {
            var points = Enumerable.Range(0, 101).Where(r => r / 100.0 <= c.MaxRecall50 + 1e-9).ToArray();
            var line = plot.Add.Scatter(points.Select(r => r / 100.0).ToArray(), points.Select(r => c.Precision50[r]).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{c.Label} (AP50 {c.Ap50:0.000}, {c.GroundTruths} objects)");
        }
        plot.Axes.SetLimits(0, 1.02, 0, 1.02);
        plot.XLabel("Recall");
        plot.YLabel("Precision (interpolated)");
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"{title} — mAP@0.5 {Format(result.Map50)}, mAP@0.5:0.95 {Format(result.Map)}"));
        plot.ShowLegend(Edge.Right);
        AtomicFile.WriteBytes(path, plot.GetImageBytes(1100, 600, ImageFormat.Png));
    }

    private static string Format(double? value) => value is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
