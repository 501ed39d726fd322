using System.Globalization;
using System.Text.Json;
using ModelZoo.Catalog;

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

    /// <summary>Whether the licence carries restrictions a user must notice.</summary>
    public static bool IsRestricted(LicenseInfo license) =>
        license.Restrictions.Count > 0
        || license.Spdx.Contains("GPL", StringComparison.OrdinalIgnoreCase)
        || license.Spdx.Contains("-NC", StringComparison.OrdinalIgnoreCase)
        || license.Spdx.Contains("unknown", StringComparison.OrdinalIgnoreCase);
}
