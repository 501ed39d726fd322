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
    /// Writes a PNG (<see cref="CurvesWidth"/> × <see cref="CurvesHeight"/>) with two panels, loss and accuracy, against
    /// the optimizer step: the per-step training values as a line (with markers when there are few steps), per-step
    /// validation values where the steps measured them (the solver does every iteration), the per-epoch training and
    /// validation values as markers at each epoch's last step, and a dashed line between epochs. Accuracies are fractions
    /// in [0, 1] and are drawn as percentages.
    /// </summary>
    /// <param name="path">PNG file to write (folders are created).</param>
    /// <param name="history">The run's history.</param>
    public static void WriteCurves(string path, Heads.TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var steps = history.Steps.Select(s => new StepPoint(s.Step, s.Loss, s.Accuracy, s.ValLoss, s.ValAccuracy)).ToList();
        var epochs = history.Epochs.Select(e =>
        {
            var last = history.Steps.LastOrDefault(s => s.Epoch == e.Epoch);
            return new EpochPoint(e.Epoch, last?.Step, e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy);
        }).ToList();
        Draw(path, steps, epochs);
    }

    /// <summary>
    /// Writes the curves of <see cref="WriteCurves(string, Heads.TrainingHistory)"/> from plain tuples: epochs are spread
    /// evenly over the steps (epoch k of E ends at step k·n/E), and when there are no steps the x axis is the epoch.
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
        var byStep = steps.OrderBy(s => s.Step).Select(s => new StepPoint(s.Step, s.Loss, s.Accuracy, null, null)).ToList();
        var byEpoch = epochs.OrderBy(e => e.Epoch).ToList();
        var points = byEpoch.Select((e, i) =>
        {
            int? last = byStep.Count == 0 ? null : byStep[Math.Clamp((int)Math.Round((double)(i + 1) * byStep.Count / byEpoch.Count) - 1, 0, byStep.Count - 1)].Step;
            return new EpochPoint(e.Epoch, last, e.TrainLoss, e.TrainAcc, e.ValLoss, e.ValAcc);
        }).ToList();
        Draw(path, byStep, points);
    }

    private sealed record StepPoint(int Step, float Loss, float Accuracy, float? ValLoss, float? ValAccuracy);

    private sealed record EpochPoint(int Epoch, int? LastStep, float TrainLoss, float TrainAccuracy, float? ValLoss, float? ValAccuracy);

    private static void Draw(string path, List<StepPoint> steps, List<EpochPoint> epochs)
    {
        if (steps.Count == 0 && epochs.Count == 0)
        {
            throw new ArgumentException("there is nothing to plot: pass at least one step or one epoch.", nameof(steps));
        }

        var byStep = steps.OrderBy(s => s.Step).ToList();
        var byEpoch = epochs.OrderBy(e => e.Epoch).ToList();
        var stepAxis = byStep.Count > 0;
        var xLabel = stepAxis ? (byEpoch.Count > 1 ? "Step (dashed lines: epochs)" : "Step") : "Epoch";
        double[] stepX = byStep.Select(s => (double)s.Step).ToArray();
        double[] epochX = byEpoch.Select(e => stepAxis ? (double)(e.LastStep ?? byStep[^1].Step) : e.Epoch).ToArray();

        var loss = NewPlot("Loss", xLabel, "Cross-entropy loss");
        AddSeries(loss, stepX, byStep.Select(s => (double)s.Loss).ToArray(), byStep.Select(s => s.ValLoss is { } v ? (double)v : double.NaN).ToArray(),
            epochX, byEpoch.Select(e => (double)e.TrainLoss).ToArray(),
            byEpoch.Select(e => e.ValLoss.HasValue ? (double)e.ValLoss.Value : double.NaN).ToArray());
        loss.Axes.AutoScale();
        var lossLimits = loss.Axes.GetLimits();
        var lossTop = double.IsFinite(lossLimits.Top) ? lossLimits.Top : 1;
        loss.Axes.SetLimitsY(Math.Min(0, lossLimits.Bottom), lossTop);

        var accuracy = NewPlot("Accuracy", xLabel, "Accuracy (%)");
        AddSeries(accuracy, stepX, byStep.Select(s => 100.0 * s.Accuracy).ToArray(), byStep.Select(s => s.ValAccuracy is { } v ? 100.0 * v : double.NaN).ToArray(),
            epochX, byEpoch.Select(e => 100.0 * e.TrainAccuracy).ToArray(),
            byEpoch.Select(e => e.ValAccuracy.HasValue ? 100.0 * e.ValAccuracy.Value : double.NaN).ToArray());
        accuracy.Axes.AutoScaleX();
        accuracy.Axes.SetLimitsY(0, 102);

        var minX = stepAxis ? stepX.Min() : 1;
        var maxX = Math.Max(minX + 1, Math.Max(stepX.DefaultIfEmpty(0).Max(), epochX.DefaultIfEmpty(0).Max()));
        foreach (var plot in new[] { loss, accuracy })
        {
            var pad = (maxX - minX) * 0.02;
            plot.Axes.SetLimitsX(Math.Min(0, minX - pad), maxX + pad);
            if (stepAxis && byEpoch.Count is > 1 and <= 60)
            {
                // Epoch boundaries: half a step after each epoch's last step.
                foreach (var x in epochX.Take(epochX.Length - 1))
                {
                    var line = plot.Add.VerticalLine(x + 0.5);
                    line.LineColor = Color.FromHex("#9A9A9A");
                    line.LineWidth = 1;
                    line.LinePattern = LinePattern.Dashed;
                }
            }

            if (stepAxis && maxX - minX <= 40)
            {
                plot.Axes.Bottom.TickGenerator = StepTicks((int)minX, (int)maxX);
            }
            else if (!stepAxis && byEpoch.Count <= 20)
            {
                plot.Axes.Bottom.TickGenerator = IntegerTicks(byEpoch.Count);
            }
        }

        foreach (var plot in new[] { loss, accuracy })
        {
            // Below the axes, so that the legend never hides a curve.
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.FontSize = 12;
        }

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
            AddCellLabels(plot, counts, values, rowTotals, normalize ? 1 : Math.Max(1, max), normalize);
        }

        var longest = AddClassTicks(plot, labels);

        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        plot.XLabel("Predicted class");
        plot.YLabel("True class");
        var accuracy = total == 0 ? 0 : 100.0 * correct / total;
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"Confusion matrix — accuracy {accuracy:0.0}% ({correct}/{total})"));

        AddColorBar(plot, heatmap, normalize);

        // Size the figure so cells come out square-ish and readable: about 70 px per cell for a few
        // classes, shrinking to 22 px for many; room for the (possibly rotated) labels on two sides.
        var cellPx = Math.Clamp(560 / n, 22, 70);
        var labelPx = (int)Math.Clamp(Math.Min(longest, 24) * 7.0, 40, 180);
        var width = (n * cellPx) + labelPx + 230;
        var height = (n * cellPx) + (int)(labelPx * 0.75) + 130;
        var png = RenderSideBySide(width, height, plot);
        AtomicFile.WriteBytes(path, png);
    }

    private static void AddColorBar(Plot plot, ScottPlot.Plottables.Heatmap heatmap, bool normalize)
    {
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
    }

    /// <summary>The count (and row share, for a few classes) written in each cell, light on dark cells.</summary>
    private static void AddCellLabels(Plot plot, int[,] counts, double[,] values, long[] rowTotals, double scale, bool normalize)
    {
        var n = rowTotals.Length;
        var fontSize = n <= 8 ? 13f : n <= 15 ? 11f : 9f;
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                var share = values[r, c] / scale;
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

    /// <summary>Class names on both axes (rotated below when long or many); returns the longest name's length.</summary>
    private static int AddClassTicks(Plot plot, IReadOnlyList<string> labels)
    {
        var n = labels.Count;
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

        return longest;
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

    private static void AddSeries(Plot plot, double[] stepX, double[] stepY, double[] stepValY, double[] epochX, double[] trainY, double[] valY)
    {
        if (stepX.Length > 0)
        {
            var perStep = plot.Add.Scatter(stepX, stepY);
            perStep.Color = TrainColor;
            perStep.LineWidth = 2;
            perStep.MarkerSize = stepX.Length <= 60 ? 5 : 0;
            perStep.MarkerShape = MarkerShape.FilledCircle;
            perStep.LegendText = "train (per step)";

            var measured = stepValY.Select((v, i) => (X: stepX[i], Y: v)).Where(p => !double.IsNaN(p.Y)).ToArray();
            if (measured.Length > 0)
            {
                var val = plot.Add.Scatter(measured.Select(p => p.X).ToArray(), measured.Select(p => p.Y).ToArray());
                val.Color = ValidationColor;
                val.LineWidth = 2;
                val.LinePattern = LinePattern.Dashed;
                val.MarkerSize = measured.Length <= 60 ? 5 : 0;
                val.MarkerShape = MarkerShape.FilledSquare;
                val.LegendText = "validation (per step)";
            }
        }

        if (epochX.Length > 0)
        {
            var train = plot.Add.Scatter(epochX, trainY);
            train.Color = TrainColor.Darken(0.45);
            train.LineWidth = stepX.Length > 0 ? 0 : 2;
            train.MarkerSize = 10;
            train.MarkerShape = MarkerShape.OpenCircle;
            train.MarkerLineWidth = 2;
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
                val.MarkerSize = 10;
                val.MarkerShape = MarkerShape.FilledSquare;
                val.LegendText = "validation (end of epoch)";
            }
        }
    }

    private static ScottPlot.TickGenerators.NumericManual StepTicks(int first, int last)
    {
        var span = last - first;
        var every = span <= 12 ? 1 : span <= 30 ? 2 : 5;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = every * (int)Math.Ceiling((double)first / every); i <= last; i += every)
        {
            ticks.AddMajor(i, i.ToString(CultureInfo.InvariantCulture));
        }

        return ticks;
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
