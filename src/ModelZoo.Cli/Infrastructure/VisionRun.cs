using System.Text;
using System.Text.Json;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using Spectre.Console;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// The per-image loop of the vision commands: decode each file, run the task, optionally write the annotated
/// PNG into the --save folder, collect results; undecodable files are reported and skipped.
/// </summary>
public static class VisionRun
{
    /// <summary>Runs <paramref name="process"/> on each image under a progress bar; returns the images that worked, in order.</summary>
    /// <param name="context">The command context.</param>
    /// <param name="paths">Image files.</param>
    /// <param name="description">Progress-bar text.</param>
    /// <param name="saveDirectory">Folder for annotated images, or null.</param>
    /// <param name="process">Runs the task on a decoded image and returns its result and what to draw.</param>
    /// <param name="extraFiles">Writes further files for a result (e.g. masks) given the image's output stem; may be null.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<List<VisionResult<T>>> RunAsync<T>(ZooContext context, IReadOnlyList<string> paths, string description,
        string? saveDirectory, Func<RgbImage, (T Value, Tasks.Annotations Drawing)> process,
        Func<T, string, T>? extraFiles, CancellationToken ct)
    {
        if (saveDirectory is not null)
        {
            Directory.CreateDirectory(saveDirectory);
        }
        var usedStems = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var results = new List<VisionResult<T>>(paths.Count);
        await ImageProgress.RunAsync(context, description, paths.Count, async tick =>
        {
            foreach (var path in paths)
            {
                ct.ThrowIfCancellationRequested();
                var result = await Task.Run(() => One(context, path, saveDirectory, usedStems, process, extraFiles), ct).ConfigureAwait(false);
                if (result is not null)
                {
                    results.Add(result);
                }
                tick();
            }
        }).ConfigureAwait(false);
        return results;
    }

    private static VisionResult<T>? One<T>(ZooContext context, string path, string? saveDirectory, HashSet<string> usedStems,
        Func<RgbImage, (T Value, Tasks.Annotations Drawing)> process, Func<T, string, T>? extraFiles)
    {
        RgbImage image;
        try
        {
            image = ImageDecoder.Decode(path);
        }
        catch (Exception ex) when (ex is ZooException or IOException or UnauthorizedAccessException)
        {
            context.Status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(ex.Message)}");
            return null;
        }
        using (image)
        {
            var (value, drawing) = process(image);
            string? saved = null;
            if (saveDirectory is not null)
            {
                var stem = UniqueStem(usedStems, Path.GetFileNameWithoutExtension(path));
                saved = Path.Combine(saveDirectory, stem + ".png");
                Tasks.Annotator.SavePng(image, drawing, saved);
                if (extraFiles is not null)
                {
                    value = extraFiles(value, Path.Combine(saveDirectory, stem));
                }
            }
            return new VisionResult<T>(path, value, saved);
        }
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
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("image", result.Path);
                writeBody(writer, result);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        context.Output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        context.Output.Flush();
    }
}

/// <summary>One image's result in a vision command.</summary>
/// <param name="Path">The image path as given.</param>
/// <param name="Value">The task result.</param>
/// <param name="SavedImage">Where the annotated PNG was written, when --save was given.</param>
public sealed record VisionResult<T>(string Path, T Value, string? SavedImage);
