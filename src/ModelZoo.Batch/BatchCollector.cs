using System.Text.Json;

namespace ModelZoo.Batch;

/// <summary>
/// Merges the workers' (or shards') JSON-lines files of an output folder into one file holding each input exactly
/// once: an input is its path and SHA-256, so lines written twice because a message was redelivered after a worker
/// died are dropped, while two different files with the same bytes both stay. Lines are sorted by path.
/// </summary>
public static class BatchCollector
{
    /// <summary>Collects <paramref name="outputFolder"/>'s <c>*.jsonl</c> into <paramref name="into"/> (written atomically)
    /// and lists which of <paramref name="expected"/> (full paths; may be empty) have no result.</summary>
    /// <exception cref="BatchException"><c>batch-output-missing</c> when the folder does not exist.</exception>
    public static BatchCollectReport Collect(string outputFolder, string into, IReadOnlyCollection<string> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (!Directory.Exists(outputFolder))
        {
            throw new BatchException(ZooErrors.BatchOutputMissing, $"'{outputFolder}' does not exist; pass as BatchCollector.Collect outputFolder the folder the workers wrote to.");
        }
        var intoFull = Path.GetFullPath(into);
        var seen = new SortedDictionary<(string Path, string Sha), JsonElement>();
        var duplicates = 0;
        foreach (var file in Directory.EnumerateFiles(outputFolder, "*.jsonl").Order(StringComparer.Ordinal))
        {
            if (Path.GetFullPath(file) == intoFull)
            {
                continue;
            }
            foreach (var record in BatchResultLog.Read(file))
            {
                var key = (record.GetProperty("path").GetString()!, record.GetProperty("sha256").GetString()!);
                if (!seen.TryAdd(key, record))
                {
                    duplicates++;
                }
            }
        }
        var temp = intoFull + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(Path.GetDirectoryName(intoFull)!);
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            foreach (var record in seen.Values)
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    record.WriteTo(writer);
                }
                stream.WriteByte((byte)'\n');
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, intoFull, overwrite: true);
        var done = seen.Keys.Select(k => k.Path).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Select(Path.GetFullPath).Where(p => !done.Contains(p)).Order(StringComparer.Ordinal).ToList();
        return new BatchCollectReport(seen.Count, duplicates, missing);
    }

    /// <summary>The inputs (path, SHA-256) that already have a result in a results file; empty when there is none.</summary>
    public static HashSet<(string Path, string Sha)> Done(string resultsFile)
    {
        var done = new HashSet<(string, string)>();
        if (File.Exists(resultsFile))
        {
            foreach (var record in BatchResultLog.Read(resultsFile))
            {
                done.Add((record.GetProperty("path").GetString()!, record.GetProperty("sha256").GetString()!));
            }
        }
        return done;
    }

}
