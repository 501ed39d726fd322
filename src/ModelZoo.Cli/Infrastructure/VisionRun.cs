using System.Text.Json;
using ModelZoo.Imaging;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// The per-image side of the vision commands: runs a task pipeline over files under a progress bar (the pipeline's
/// own decode-ahead loop), writes the annotated PNG (and the task's extra files) into the --save folder, and collects
/// the results; undecodable files are reported and skipped.
/// </summary>
public static class VisionRun
{
    /// <summary>Runs <paramref name="pipeline"/> on each image; returns the images that worked, in order.</summary>
    /// <param name="context">The command context.</param>
    /// <param name="descriptor">The task: its progress text, drawing and extra files.</param>
    /// <param name="pipeline">The open pipeline.</param>
    /// <param name="paths">Image files.</param>
    /// <param name="options">The task options for every image.</param>
    /// <param name="saveDirectory">Folder for annotated images, or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="progress">Progress-bar text; null for the verb's.</param>
    public static async Task<List<VisionResult<TResult>>> RunAsync<TResult, TOptions>(ZooContext context,
        TaskDescriptor<TResult, TOptions> descriptor, ITaskPipeline<TResult, TOptions> pipeline, IReadOnlyList<string> paths,
        TOptions options, string? saveDirectory, CancellationToken ct, string? progress = null) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (saveDirectory is not null)
        {
            Directory.CreateDirectory(saveDirectory);
        }
        var usedStems = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var results = new List<VisionResult<TResult>>(paths.Count);
        await ImageProgress.RunAsync(context, progress ?? descriptor.Command?.Progress ?? "running", paths.Count, async tick =>
        {
            // Only a drawing needs the decoded pixels; without one the pipeline may decode photos smaller.
            var outcomes = saveDirectory is null
                ? pipeline.RunFilesAsync(paths, options, ct).Select(o => o.Error is null
                    ? new ImageOutcome<VisionResult<TResult>>(o.Path, new VisionResult<TResult>(o.Path, o.Value!, null), o.Width, o.Height, o.Transform, null)
                    : new ImageOutcome<VisionResult<TResult>>(o.Path, null, o.Width, o.Height, o.Transform, o.Error))
                : pipeline.RunFilesAsync(paths, options, (path, image, value) => Save(descriptor, path, image, value, saveDirectory, usedStems), ct);
            await foreach (var outcome in outcomes.ConfigureAwait(false))
            {
                if (outcome.Error is { } error)
                {
                    context.Status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(error.Message)}");
                }
                else
                {
                    results.Add(outcome.Value!);
                }
                tick();
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>Writes <paramref name="results"/> as tables (the task's <see cref="ResultView"/>) or, with --json, as
    /// a JSON array; with --verbose, then the pipeline's time per stage.</summary>
    public static void Report<TResult, TOptions>(ZooContext context, TaskDescriptor<TResult, TOptions> descriptor,
        IReadOnlyList<VisionResult<TResult>> results, bool json, StageTimings? timings) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(results);
        if (json)
        {
            WriteJson(context, results, (writer, result) => descriptor.WriteJson(writer, result.Value, ResultJsonOptions.Files));
        }
        else
        {
            foreach (var result in results)
            {
                ResultViewWriter.Write(context.Console, result.Path, descriptor.Present(result.Value), result.SavedImage);
            }
        }
        if (timings is not null)
        {
            WriteTimings(context, timings);
        }
    }

    /// <summary>One line on the status console: milliseconds per stage over the run.</summary>
    public static void WriteTimings(ZooContext context, StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timings);
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
        context.Status.MarkupLine(Markup.Escape(
            $"timings over {timings.Images} image(s): decode {Ms(timings.Decode)} ms, preprocess {Ms(timings.Preprocess)} ms, inference {Ms(timings.Inference)} ms, postprocess {Ms(timings.Postprocess)} ms"));
    }

    private static VisionResult<TResult> Save<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor, string path, RgbImage image, TResult value,
        string? saveDirectory, HashSet<string> usedStems) where TOptions : class
    {
        if (saveDirectory is null)
        {
            return new VisionResult<TResult>(path, value, null);
        }
        var stem = UniqueStem(usedStems, Path.GetFileNameWithoutExtension(path));
        var saved = Path.Combine(saveDirectory, stem + ".png");
        Annotator.SavePng(image, descriptor.Annotate(value), saved);
        return new VisionResult<TResult>(path, descriptor.SaveFiles(value, Path.Combine(saveDirectory, stem)), saved);
    }

    private static string UniqueStem(HashSet<string> used, string stem)
    {
        lock (used)
        {
            var candidate = stem;
            for (var i = 2; !used.Add(candidate); i++)
            {
                candidate = $"{stem}-{i}";
            }
            return candidate;
        }
    }

    /// <summary>Writes a JSON array, one object per result, to the machine-readable output.</summary>
    public static void WriteJson<T>(ZooContext context, IEnumerable<VisionResult<T>> results, Action<Utf8JsonWriter, VisionResult<T>> writeBody)
    {
        ArgumentNullException.ThrowIfNull(writeBody);
        JsonArrayOutput.Write(context, results, (writer, result) =>
        {
            writer.WriteString("image", result.Path);
            writeBody(writer, result);
        });
    }
}

/// <summary>One image's result in a vision command.</summary>
/// <param name="Path">The image path as given.</param>
/// <param name="Value">The task result.</param>
/// <param name="SavedImage">Where the annotated PNG was written, when --save was given.</param>
public sealed record VisionResult<T>(string Path, T Value, string? SavedImage);
