using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace ModelZoo.Training.Reports;

/// <summary>
/// PNG charts of a training run, drawn with ScottPlot: learning curves and the confusion matrix.
/// Files are written atomically (temporary file, then rename).
/// </summary>
public static class TrainingPlots
{
    private static readonly Color TrainColor = Color.FromHex("#1F77B4");
    private static readonly Color ValidationColor = Color.FromHex("#E8710A");

    /// <summary>Width of the curves image in pixels.</summary>
    public const int CurvesWidth = 1200;

    /// <summary>Height of the curves image in pixels.</summary>
    public const int CurvesHeight = 450;

    /// <summary>
    /// Writes a PNG (<see cref="CurvesWidth"/> × <see cref="CurvesHeight"/>) with two panels, loss and
    /// accuracy, against the epoch. Each panel shows the per-step training values as a faint line and
    /// the per-epoch training and validation values as lines with markers. Steps are spread evenly over
    /// the epochs (step k of n lands at epoch k·E/n, so the last step meets the last epoch's marker); when
    /// there are no epochs the x axis is the step number. Accuracies are fractions in [0, 1] and are drawn
    /// as percentages.
    /// </summary>
    /// <param name="path">PNG file to write (folders are created).</param>
    /// <param name="steps">Per optimisation step: step number, batch loss and batch accuracy.</param>
    /// <param name="epochs">Per epoch: epoch number, mean training loss and accuracy, and validation loss and accuracy when there is a validation set.</param>
    public static void WriteCurves(
        string path,
        IReadOnlyList<(int Step, float Loss, float Accuracy)> steps,
        IReadOnlyList<(int Epoch, float TrainLoss, float TrainAcc, float? ValLoss, float? ValAcc)> epochs)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(epochs);
        if (steps.Count == 0 && epochs.Count == 0)
        {
            throw new ArgumentException("there is nothing to plot: pass at least one step or one epoch.", nameof(steps));
        }

        var byEpoch = epochs.OrderBy(e => e.Epoch).ToList();
        var byStep = steps.OrderBy(s => s.Step).ToList();
        var xLabel = byEpoch.Count > 0 ? "Epoch" : "Step";
        double[] stepX = StepPositions(byStep, byEpoch);
        double[] epochX = byEpoch.Select(e => (double)(e.Epoch - byEpoch[0].Epoch + 1)).ToArray();

        var loss = NewPlot("Loss", xLabel, "Cross-entropy loss");
        AddSeries(loss, stepX, byStep.Select(s => (double)s.Loss).ToArray(), epochX,
            byEpoch.Select(e => (double)e.TrainLoss).ToArray(),
            byEpoch.Select(e => e.ValLoss.HasValue ? (double)e.ValLoss.Value : double.NaN).ToArray());
        loss.Axes.AutoScale();
        var lossLimits = loss.Axes.GetLimits();
        loss.Axes.SetLimitsY(Math.Min(0, lossLimits.Bottom), lossLimits.Top);

        var accuracy = NewPlot("Accuracy", xLabel, "Accuracy (%)");
        AddSeries(accuracy, stepX, byStep.Select(s => 100.0 * s.Accuracy).ToArray(), epochX,
            byEpoch.Select(e => 100.0 * e.TrainAcc).ToArray(),
            byEpoch.Select(e => e.ValAcc.HasValue ? 100.0 * e.ValAcc.Value : double.NaN).ToArray());
        accuracy.Axes.AutoScaleX();
        accuracy.Axes.SetLimitsY(0, 102);

        foreach (var plot in new[] { loss, accuracy })
        {
            var maxX = Math.Max(1, Math.Max(stepX.DefaultIfEmpty(0).Max(), epochX.DefaultIfEmpty(0).Max()));
            plot.Axes.SetLimitsX(0, maxX + (maxX * 0.02));
            if (byEpoch.Count > 0 && byEpoch.Count <= 20)
            {
                plot.Axes.Bottom.TickGenerator = IntegerTicks(byEpoch.Count);
            }
        }

        accuracy.Legend.Alignment = Alignment.LowerRight;
        loss.Legend.Alignment = Alignment.UpperRight;

        var png = RenderSideBySide(CurvesWidth, CurvesHeight, loss, accuracy);
        AtomicFile.WriteBytes(path, png);
    }

    /// <summary>
    /// Writes a confusion-matrix heatmap PNG: rows are true classes (top to bottom in label order),
    /// columns predicted classes. Cell colour is the row-normalised share (recall) when
    /// <paramref name="normalize"/> is true, or the raw count otherwise; every cell shows its count (and
    /// its row percentage when normalised) as long as there are at most 30 classes. Long labels on the
    /// x axis are rotated. The title gives the overall accuracy (trace over total).
    /// </summary>
    /// <param name="path">PNG file to write (folders are created).</param>
    /// <param name="counts">counts[true, predicted], square, one row and column per label.</param>
    /// <param name="labels">Class names in index order.</param>
    /// <param name="normalize">Colour by row share instead of raw count.</param>
    public static void WriteConfusion(string path, int[,] counts, IReadOnlyList<string> labels, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Count;
        if (n == 0 || counts.GetLength(0) != n || counts.GetLength(1) != n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the confusion matrix is {counts.GetLength(0)}x{counts.GetLength(1)} but there are {n} labels; pass a square matrix with one row and column per label."), nameof(counts));
        }

        long total = 0, correct = 0;
        var rowTotals = new long[n];
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                total += counts[r, c];
                rowTotals[r] += counts[r, c];
            }

            correct += counts[r, r];
        }

        var values = new double[n, n];
        double max = 0;
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                values[r, c] = normalize
                    ? (rowTotals[r] == 0 ? 0 : (double)counts[r, c] / rowTotals[r])
                    : counts[r, c];
                max = Math.Max(max, values[r, c]);
            }
        }

        var plot = new Plot();
        StylePlot(plot);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.ManualRange = new ScottPlot.Range(0, normalize ? 1 : Math.Max(1, max));
        // Default placement: cell (row r, column c) is centred on (c, n - 1 - r), row 0 at the top.

        if (n <= 30)
        {
            var fontSize = n <= 8 ? 13f : n <= 15 ? 11f : 9f;
            for (var r = 0; r < n; r++)
            {
                for (var c = 0; c < n; c++)
                {
                    var share = values[r, c] / (normalize ? 1 : Math.Max(1, max));
                    var text = normalize && rowTotals[r] > 0 && n <= 8
                        ? string.Create(CultureInfo.InvariantCulture, $"{counts[r, c]}\n{100.0 * counts[r, c] / rowTotals[r]:0}%")
                        : counts[r, c].ToString(CultureInfo.InvariantCulture);
                    var label = plot.Add.Text(text, c, n - 1 - r);
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontSize = fontSize;
                    label.LabelFontColor = share > 0.55 ? Colors.White : Color.FromHex("#1A1A1A");
                    label.LabelBold = r == c;
                }
            }
        }

        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var longest = labels.Max(l => l.Length);
        var shown = labels.Select(l => l.Length > 24 ? l[..23] + "…" : l).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, shown);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, shown.Reverse().ToArray());
        if (longest > 6 || n > 8)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.TickLabelStyle.OffsetY = 4;

            // The automatic layout measures labels unrotated; reserve the rotated labels' height.
            plot.Axes.Bottom.MinimumSize = (float)(Math.Min(longest, 24) * 6.5 * Math.Sin(40 * Math.PI / 180)) + 40;
        }

        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        plot.XLabel("Predicted class");
        plot.YLabel("True class");
        var accuracy = total == 0 ? 0 : 100.0 * correct / total;
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"Confusion matrix — accuracy {accuracy:0.0}% ({correct}/{total})"));

        var colorbar = plot.Add.ColorBar(heatmap);
        colorbar.Label = normalize ? "Share of true class" : "Images";
        colorbar.LabelStyle.Bold = false;
        colorbar.LabelStyle.FontSize = 13;
        if (normalize)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (var t = 0; t <= 4; t++)
            {
                ticks.AddMajor(t / 4.0, string.Create(CultureInfo.InvariantCulture, $"{t * 25}%"));
            }

            colorbar.Axis.TickGenerator = ticks;
        }

        // Size the figure so cells come out square-ish and readable: about 70 px per cell for a few
        // classes, shrinking to 22 px for many; room for the (possibly rotated) labels on two sides.
        var cellPx = Math.Clamp(560 / n, 22, 70);
        var labelPx = (int)Math.Clamp(Math.Min(longest, 24) * 7.0, 40, 180);
        var width = (n * cellPx) + labelPx + 230;
        var height = (n * cellPx) + (int)(labelPx * 0.75) + 130;
        var png = RenderSideBySide(width, height, plot);
        AtomicFile.WriteBytes(path, png);
    }

    private static double[] StepPositions(
        List<(int Step, float Loss, float Accuracy)> steps,
        List<(int Epoch, float TrainLoss, float TrainAcc, float? ValLoss, float? ValAcc)> epochs)
    {
        if (steps.Count == 0)
        {
            return [];
        }

        if (epochs.Count == 0)
        {
            return steps.Select(s => (double)s.Step).ToArray();
        }

        double first = steps[0].Step, last = steps[^1].Step;
        var span = last - first + 1;
        return steps.Select(s => (s.Step - first + 1) * epochs.Count / span).ToArray();
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        StylePlot(plot);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static void StylePlot(Plot plot)
    {
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Color.FromHex("#E6E6E6");
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Title.Label.Bold = true;
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Left.Label.FontSize = 14;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
    }

    private static void AddSeries(Plot plot, double[] stepX, double[] stepY, double[] epochX, double[] trainY, double[] valY)
    {
        if (stepX.Length > 0)
        {
            var perStep = plot.Add.ScatterLine(stepX, stepY);
            perStep.Color = TrainColor.WithAlpha(0.28);
            perStep.LineWidth = 1;
            perStep.LegendText = "train (per step)";
        }

        if (epochX.Length > 0)
        {
            var train = plot.Add.Scatter(epochX, trainY);
            train.Color = TrainColor;
            train.LineWidth = 2;
            train.MarkerSize = 8;
            train.MarkerShape = MarkerShape.FilledCircle;
            train.LegendText = "train (epoch mean)";

            var hasValidation = valY.Any(v => !double.IsNaN(v));
            if (hasValidation)
            {
                var vx = epochX.Where((_, i) => !double.IsNaN(valY[i])).ToArray();
                var vy = valY.Where(v => !double.IsNaN(v)).ToArray();
                var val = plot.Add.Scatter(vx, vy);
                val.Color = ValidationColor;
                val.LineWidth = 2;
                val.LinePattern = LinePattern.Dashed;
                val.MarkerSize = 9;
                val.MarkerShape = MarkerShape.FilledSquare;
                val.LegendText = "validation";
            }
        }

        plot.ShowLegend();
        plot.Legend.FontSize = 12;
    }

    private static ScottPlot.TickGenerators.NumericManual IntegerTicks(int count)
    {
        var step = count <= 10 ? 1 : count <= 20 ? 2 : 5;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i <= count; i += step)
        {
            ticks.AddMajor(i, i.ToString(CultureInfo.InvariantCulture));
        }

        return ticks;
    }

    private static byte[] RenderSideBySide(int width, int height, params Plot[] plots)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var panelWidth = (float)width / plots.Length;
        for (var i = 0; i < plots.Length; i++)
        {
            // Each panel gets its own surface: a plot clears the whole canvas it renders on.
            var left = (int)Math.Round(i * panelWidth);
            var right = (int)Math.Round((i + 1) * panelWidth);
            using var panel = SKSurface.Create(new SKImageInfo(right - left, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            plots[i].Render(panel);
            using var snapshot = panel.Snapshot();
            canvas.DrawImage(snapshot, left, 0);
        }

        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
