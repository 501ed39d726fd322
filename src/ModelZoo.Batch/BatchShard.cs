using System.Security.Cryptography;
using System.Text;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Batch;

/// <summary>
/// A static share of a job without a broker, for Kubernetes Indexed Jobs: shard <see cref="Index"/> of
/// <see cref="Count"/> takes the inputs whose full path hashes (SHA-256, first 8 bytes) to it modulo the count, so
/// every pod picks its inputs independently and the same way every time, and adding inputs moves none of the others.
/// A run appends to <c>shard-I-of-N.jsonl</c> and skips inputs already there, so a restarted pod resumes.
/// </summary>
/// <param name="Index">This shard, from 0.</param>
/// <param name="Count">Number of shards.</param>
public sealed record BatchShard(int Index, int Count)
{
    /// <summary>Parses <c>I/N</c>.</summary>
    /// <exception cref="ZooUsageException">Not two whole numbers with 0 ≤ I &lt; N.</exception>
    public static BatchShard Parse(string text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            return Create(index, count);
        }
        throw new ZooUsageException($"BatchShard.Parse text must be I/N with 0 <= I < N, such as 0/4; got '{text}'.");
    }

    /// <summary>Checks and creates a shard.</summary>
    /// <exception cref="ZooUsageException">Not 0 ≤ index &lt; count.</exception>
    public static BatchShard Create(int index, int count) => count >= 1 && index >= 0 && index < count
        ? new BatchShard(index, count)
        : throw new ZooUsageException($"shard {index} of {count} does not exist; the index must be from 0 to count-1.");

    /// <summary>The shard's results file in an output folder.</summary>
    public string ResultsPath(string outputFolder) => Path.Combine(outputFolder, $"shard-{Index}-of-{Count}.jsonl");

    /// <summary>Whether a (full) path belongs to this shard.</summary>
    public bool Contains(string fullPath)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(fullPath));
        return (int)(BitConverter.ToUInt64(hash, 0) % (ulong)Count) == Index;
    }

    /// <summary>Runs the task over this shard's inputs, appending results durably in groups and skipping inputs already done.</summary>
    /// <returns>Images done now, skipped as done before, and failed (listed with their reasons).</returns>
    public async Task<(int Done, int Skipped, IReadOnlyList<string> Failed)> RunAsync(ModelCard card, BatchTask task, ModelStore store,
        IReadOnlyList<string> paths, string outputFolder, ImageTaskOptions? options = null, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        BatchInference.CheckTask(card, task);
        var mine = paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(Contains).Order(StringComparer.Ordinal).ToList();
        var resultsPath = ResultsPath(outputFolder);
        var done = BatchCollector.Done(resultsPath);
        var doneNow = 0;
        var skipped = 0;
        var failed = new List<string>();
        using var inference = await BatchInference.OpenAsync(card, task, store, options, ct).ConfigureAwait(false);
        using var log = BatchResultLog.Open(resultsPath);
        var worker = $"shard-{Index}-of-{Count}";
        foreach (var group in mine.Chunk(32))
        {
            var items = new Dictionary<string, BatchItem>(StringComparer.Ordinal);
            foreach (var path in group)
            {
                try
                {
                    var item = BatchItem.ForFile(path);
                    if (done.Contains((item.Path, item.Sha256)))
                    {
                        skipped++;
                    }
                    else
                    {
                        items[item.Path] = item;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failed.Add($"{path}: input-unreadable: {ex.Message}");
                }
            }
            await foreach (var (path, json, error) in inference.RunAsync([.. items.Keys], ct).ConfigureAwait(false))
            {
                if (json is not null)
                {
                    log.Append(items[path], card.Handle, task.Name(), worker, json);
                    doneNow++;
                }
                else
                {
                    failed.Add($"{path}: {error?.Code}: {error?.Message}");
                }
            }
            log.Commit();
            progress?.Report(doneNow + skipped + failed.Count);
        }
        return (doneNow, skipped, failed);
    }
}
