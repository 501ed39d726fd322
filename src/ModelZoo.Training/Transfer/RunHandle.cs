using System.Text;

namespace ModelZoo.Training.Transfer;

/// <summary>The handle a training run registers its model under, and the check that it may take it.</summary>
internal static class RunHandle
{
    /// <summary>See <see cref="TransferLearner.DefaultName"/>.</summary>
    public static string DefaultName(string data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(data);
        var full = Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var name = File.Exists(full) ? Path.GetFileNameWithoutExtension(full) : Path.GetFileName(full);
        var b = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            b.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' ? c : '-');
        }

        var segment = b.ToString().Trim('.', '_', '-');
        return "local/" + (segment.Length == 0 ? "dataset" : segment);
    }

    /// <summary>See <see cref="TransferLearner.CheckHandle"/>.</summary>
    /// <exception cref="ZooUsageException">The handle is taken.</exception>
    public static void Check(TransferOptions options, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        var handle = options.Name ?? DefaultName(options.Data);
        ModelCatalog.FileNameOf(handle);
        if (catalog.IsBuiltin(handle))
        {
            throw new ZooUsageException($"'{handle}' is a built-in model handle; pass another TransferOptions.Name, e.g. local/{handle.Split('/')[^1]}.");
        }
        if (options.Overwrite || !catalog.TryGet(handle, out var existing))
        {
            return;
        }
        var ownModel = "file:" + Path.Combine(Path.GetFullPath(options.OutputDirectory), TransferArtifacts.ModelFile);
        if (existing.Files.Any(f => f.Role == "model" && string.Equals(f.Source, ownModel,
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
        {
            return; // retraining into the same folder replaces the files that card describes
        }
        throw new ZooUsageException(
            $"a user model '{handle}' already exists ({catalog.OriginOf(handle)}), trained into another folder; pass TransferOptions.Overwrite = true to replace it, or choose another TransferOptions.Name.");
    }
}
