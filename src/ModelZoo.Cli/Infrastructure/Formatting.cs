using System.Text.Json;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Small display helpers shared by commands.</summary>
public static class Formatting
{
    /// <summary>Bytes as a short human-readable size.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>The JSON name of a task, e.g. <c>image-classification</c>.</summary>
    public static string TaskName(ModelTask task) => JsonSerializer.Serialize(task).Trim('"');

    /// <summary>Parses a task name as the CLI accepts it, or fails listing the valid names.</summary>
    public static ModelTask ParseTask(string name)
    {
        foreach (var task in Enum.GetValues<ModelTask>())
        {
            if (string.Equals(TaskName(task), name, StringComparison.OrdinalIgnoreCase))
            {
                return task;
            }
        }
        throw new ZooUsageException(
            $"unknown task '{name}'; use one of: {string.Join(", ", Enum.GetValues<ModelTask>().Select(TaskName))}.");
    }

    /// <summary>A path as the user should read it: relative to the working directory when it lies inside it, else
    /// absolute; never shortened.</summary>
    public static string DisplayPath(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? full
            : relative;
    }

    /// <summary>Writes the line that heads one image's results: its whole display path in bold, then
    /// <paramref name="suffix"/>; never wrapped or shortened, however narrow the console.</summary>
    public static void WriteHeading(IAnsiConsole console, string path, string suffix = "") =>
        WriteWhole(console, $"[bold]{Markup.Escape(DisplayPath(path))}[/]{Markup.Escape(suffix)}");

    /// <summary>Writes one line of markup without wrapping it at the console width, so that paths and handles in it
    /// stay whole (and copyable) in a narrow terminal or a pipe.</summary>
    public static void WriteWhole(IAnsiConsole console, string markup)
    {
        var line = new Markup(markup);
        var width = console.Profile.Width;
        console.Profile.Width = Math.Max(width, Markup.Remove(markup).Length + 1);
        try
        {
            console.Write(line);
            console.WriteLine();
        }
        finally
        {
            console.Profile.Width = width;
        }
    }

    /// <summary>Where a card's files come from: the distinct schemes of their sources (npm, nuget, https, hf, file), joined with '+'.</summary>
    public static string Origin(ModelCard card)
    {
        var schemes = card.Files.Select(f => f.Source.IndexOf(':') is var colon and > 0 ? f.Source[..colon].ToLowerInvariant() : "file")
            .Select(s => s is "http" ? "https" : s).Distinct().ToList();
        return schemes.Count == 0 ? "-" : string.Join('+', schemes);
    }

    /// <summary>Whether the licence carries restrictions a user must notice.</summary>
    public static bool IsRestricted(LicenseInfo license) =>
        license.Restrictions.Count > 0
        || license.Spdx.Contains("GPL", StringComparison.OrdinalIgnoreCase)
        || license.Spdx.Contains("-NC", StringComparison.OrdinalIgnoreCase)
        || license.Spdx.Contains("unknown", StringComparison.OrdinalIgnoreCase);
}
