using System.Net;
using System.Text;

namespace ModelZoo.Training.Reports;

/// <summary>
/// Writes a training report as one self-contained HTML file: styles inline and every chart embedded
/// as a base64 <c>data:</c> URI, so the file can be mailed or moved on its own. Every text that comes
/// from the user (labels, paths, settings) is HTML-encoded.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f6f7f9;color:#222}
        main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
        h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.15rem;margin:0 0 12px;color:#333}
        .sub{color:#666;margin:0 0 20px}
        section{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:18px 20px;margin:0 0 18px}
        table{border-collapse:collapse;font-size:.92rem}th,td{padding:5px 12px;border-bottom:1px solid #eceef1;text-align:left;vertical-align:top}
        th{background:#fafbfc;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #e2e4e8;border-radius:8px;padding:10px 16px;min-width:150px}
        .card .v{font-size:1.5rem;font-weight:600}.card .k{color:#666;font-size:.85rem}
        img{max-width:100%;height:auto;border:1px solid #eceef1}
        .bar{display:inline-block;height:10px;background:#1f77b4;border-radius:2px;vertical-align:middle}
        .note{color:#777;font-style:italic}code{font-size:.85rem;word-break:break-all}
        """;

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> atomically (folders are created).</summary>
    /// <param name="path">HTML file to write.</param>
    /// <param name="report">The run's settings, metrics, charts and statistics.</param>
    public static void Write(string path, TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = Render(report);
        AtomicFile.WriteBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html));
    }

    internal static string Render(TrainingReport report)
    {
        var b = new StringBuilder();
        b.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<title>").Append(E(report.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        b.Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        b.Append("<p class=\"sub\">Training report · ").Append(report.Dataset.Images.ToString(CultureInfo.InvariantCulture))
         .Append(" images in ").Append(report.Dataset.PerClass.Count.ToString(CultureInfo.InvariantCulture)).Append(" classes</p>\n");

        Metrics(b, report.Metrics);
        Image(b, "curves", "Learning curves", report.Images.CurvesPng);
        Image(b, "confusion", "Confusion matrix", report.Images.ConfusionPng);
        PerClass(b, report);
        Image(b, "predictions", "Predictions (mistakes first)", report.Images.GridPng);
        Settings(b, report.Settings);
        Dataset(b, report.Dataset);
        Skipped(b, report.Dataset.Skipped);
        Timings(b, report.Timings);
        b.Append("</main>\n</body>\n</html>\n");
        return b.ToString();
    }

    private static void Metrics(StringBuilder b, IReadOnlyDictionary<string, double> metrics) =>
        Section(b, "metrics", "Metrics", metrics.Count == 0 ? "No metrics were recorded." : null, () =>
        {
            b.Append("<div class=\"cards\">\n");
            foreach (var (name, value) in metrics)
            {
                b.Append("<div class=\"card\"><div class=\"v\">").Append(E(FormatMetric(name, value)))
                 .Append("</div><div class=\"k\">").Append(E(name)).Append("</div></div>\n");
            }

            b.Append("</div>\n");
        });

    private static void Image(StringBuilder b, string id, string title, string? path) =>
        Section(b, id, title, path is null ? "Not produced for this run." : null, () =>
        {
            if (!File.Exists(path))
            {
                b.Append("<p class=\"note\">Image missing: <code>").Append(E(path)).Append("</code></p>\n");
            }
            else
            {
                b.Append("<img alt=\"").Append(E(title)).Append("\" src=\"data:image/png;base64,")
                 .Append(Convert.ToBase64String(File.ReadAllBytes(path))).Append("\">\n");
            }
        });

    private static void PerClass(StringBuilder b, TrainingReport report)
    {
        var metrics = report.PerClass.ToDictionary(r => r.Label, StringComparer.Ordinal);
        var labels = report.Dataset.PerClass.Keys.Concat(report.PerClass.Select(r => r.Label)).Distinct(StringComparer.Ordinal).ToList();
        Section(b, "per-class", "Per-class results", labels.Count == 0 ? "No classes." : null, () =>
        {
            TableStart(b, "<th>Class</th><th class=\"n\">Images</th><th class=\"n\">Validation</th>"
                + "<th class=\"n\">Precision</th><th class=\"n\">Recall</th><th class=\"n\">F1</th>");
            foreach (var label in labels)
            {
                b.Append("<tr><td>").Append(E(label)).Append("</td><td class=\"n\">")
                 .Append(report.Dataset.PerClass.TryGetValue(label, out var count) ? count.ToString(CultureInfo.InvariantCulture) : "–")
                 .Append("</td>");
                if (metrics.TryGetValue(label, out var row))
                {
                    b.Append("<td class=\"n\">").Append(row.Support.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                     .Append("<td class=\"n\">").Append(Percent(row.Precision)).Append("</td>")
                     .Append("<td class=\"n\">").Append(Percent(row.Recall)).Append("</td>")
                     .Append("<td class=\"n\">").Append(Percent(row.F1)).Append("</td>");
                }
                else
                {
                    b.Append("<td class=\"n\">–</td><td class=\"n\">–</td><td class=\"n\">–</td><td class=\"n\">–</td>");
                }

                b.Append("</tr>\n");
            }

            TableEnd(b);
        });
    }

    private static void Settings(StringBuilder b, IReadOnlyDictionary<string, string> settings) =>
        Section(b, "settings", "Settings", null, () =>
        {
            TableStart(b, null);
            foreach (var (name, value) in settings)
            {
                b.Append("<tr><th>").Append(E(name)).Append("</th><td><code>").Append(E(value)).Append("</code></td></tr>\n");
            }

            TableEnd(b);
        });

    private static void Dataset(StringBuilder b, DatasetStats d) =>
        Section(b, "dataset", "Dataset", null, () =>
        {
            TableStart(b, null);
            Row(b, "Source", "<code>" + E(d.Source) + "</code>");
            Row(b, "Usable images", N(d.Images));
            Row(b, "Training images", N(d.TrainImages));
            Row(b, "Validation images", N(d.ValidationImages));
            Row(b, "Skipped files", N(d.Skipped.Count));
            Row(b, "Classes", N(d.PerClass.Count));
            TableEnd(b);
            if (d.PerClass.Count > 0)
            {
                var max = Math.Max(1, d.PerClass.Values.Max());
                b.Append("<h2 style=\"margin-top:16px\">Images per class</h2>\n");
                TableStart(b, null);
                foreach (var (label, count) in d.PerClass)
                {
                    b.Append("<tr><td>").Append(E(label)).Append("</td><td class=\"n\">").Append(N(count))
                     .Append("</td>").Append(Bar(240.0 * count / max)).Append("</tr>\n");
                }

                TableEnd(b);
            }
        });

    private static void Skipped(StringBuilder b, IReadOnlyList<SkippedImage> skipped) =>
        Section(b, "skipped", "Skipped files", skipped.Count == 0 ? "None: every image could be used." : null, () =>
        {
            TableStart(b, "<th>File</th><th>Reason</th>");
            foreach (var s in skipped)
            {
                b.Append("<tr><td><code>").Append(E(s.Path)).Append("</code></td><td>").Append(E(s.Reason)).Append("</td></tr>\n");
            }

            TableEnd(b);
        });

    private static void Timings(StringBuilder b, IReadOnlyList<TimingEntry> timings) =>
        Section(b, "timings", "Timings", timings.Count == 0 ? "No timings were recorded." : null, () =>
        {
            var total = TimeSpan.FromTicks(timings.Sum(t => t.Duration.Ticks));
            TableStart(b, "<th>Stage</th><th class=\"n\">Time</th><th class=\"n\">Share</th><th></th>");
            foreach (var t in timings)
            {
                var share = total.Ticks == 0 ? 0 : (double)t.Duration.Ticks / total.Ticks;
                b.Append("<tr><td>").Append(E(t.Stage)).Append("</td><td class=\"n\">").Append(Duration(t.Duration))
                 .Append("</td><td class=\"n\">").Append(Percent(share)).Append("</td>").Append(Bar(240 * share)).Append("</tr>\n");
            }

            b.Append("<tr><th>Total</th><th class=\"n\">").Append(Duration(total)).Append("</th><th></th><th></th></tr>\n");
            TableEnd(b);
        });

    /// <summary>One report section: its heading, then its body, or the note when there is nothing to show.</summary>
    private static void Section(StringBuilder b, string id, string title, string? emptyNote, Action body)
    {
        b.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(E(title)).Append("</h2>\n");
        if (emptyNote is not null)
        {
            b.Append("<p class=\"note\">").Append(E(emptyNote)).Append("</p>\n");
        }
        else
        {
            body();
        }

        b.Append("</section>\n");
    }

    private static void TableStart(StringBuilder b, string? headerCellsHtml)
    {
        b.Append("<table>\n");
        if (headerCellsHtml is not null)
        {
            b.Append("<thead><tr>").Append(headerCellsHtml).Append("</tr></thead>\n");
        }

        b.Append("<tbody>\n");
    }

    private static void TableEnd(StringBuilder b) => b.Append("</tbody>\n</table>\n");

    /// <summary>A table cell with a bar of <paramref name="pixels"/> (rounded) pixels.</summary>
    private static string Bar(double pixels) =>
        "<td><span class=\"bar\" style=\"width:" + ((int)Math.Round(pixels)).ToString(CultureInfo.InvariantCulture) + "px\"></span></td>";

    private static void Row(StringBuilder b, string name, string valueHtml) =>
        b.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(valueHtml).Append("</td></tr>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double share) =>
        double.IsFinite(share) ? (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string FormatMetric(string name, double value)
    {
        if (!double.IsFinite(value))
        {
            return "–";
        }

        var lower = name.ToLowerInvariant();
        var isShare = lower.Contains("acc", StringComparison.Ordinal) || lower.Contains("precision", StringComparison.Ordinal)
            || lower.Contains("recall", StringComparison.Ordinal) || lower.Contains("f1", StringComparison.Ordinal);
        return isShare && value is >= 0 and <= 1
            ? (100 * value).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 1 => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms",
        < 120 => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        _ => ((int)t.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min " + t.Seconds.ToString(CultureInfo.InvariantCulture) + " s",
    };
}
