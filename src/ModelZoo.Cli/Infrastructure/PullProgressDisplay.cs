using ModelZoo.Store;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Pulls models with one progress bar per file on the status console (plain lines when it is not a terminal).</summary>
public static class PullProgressDisplay
{
    /// <summary>Pulls (or opens, if cached) every card, showing progress, and returns the local models in order.</summary>
    public static async Task<IReadOnlyList<LocalModel>> PullAsync(ZooContext context, IReadOnlyList<ModelCard> cards, CancellationToken ct)
    {
        var results = new LocalModel[cards.Count];
        var pending = new List<int>();
        for (var i = 0; i < cards.Count; i++)
        {
            LocalModel? cached;
            try
            {
                cached = context.Store.TryOpen(cards[i]);
            }
            catch (BlobCorruptException e) when (context.Store.CanFetch(cards[i].Files.First(f => f.Name == e.FileName)))
            {
                cached = null; // the damaged copy was removed: it is fetched again below
            }
            if (cached is null)
            {
                pending.Add(i);
            }
            else
            {
                results[i] = cached;
            }
        }
        if (pending.Count == 0)
        {
            return results;
        }
        if (PlainProgress.IsNeeded(context.Status))
        {
            foreach (var index in pending)
            {
                results[index] = await PullPlainAsync(context, cards[index], ct).ConfigureAwait(false);
            }
            return results;
        }
        await context.Status.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                foreach (var index in pending)
                {
                    var card = cards[index];
                    var bars = new Dictionary<string, ProgressTask>();
                    foreach (var file in card.Files)
                    {
                        bars[file.Name] = progressContext.AddTask(Markup.Escape($"{card.Handle} {file.Name}"), maxValue: Math.Max(1, file.Size));
                    }
                    var reporter = new SyncProgress<PullProgress>(p =>
                    {
                        if (bars.TryGetValue(p.FileName, out var bar))
                        {
                            if (p.BytesTotal is { } total && total > 0)
                            {
                                bar.MaxValue = total;
                            }
                            bar.Value = p.BytesDone;
                            if (p.Cached)
                            {
                                bar.Value = bar.MaxValue;
                            }
                        }
                    });
                    results[index] = await context.Store.PullAsync(card, reporter, ct).ConfigureAwait(false);
                    foreach (var bar in bars.Values)
                    {
                        bar.Value = bar.MaxValue;
                        bar.StopTask();
                    }
                }
            }).ConfigureAwait(false);
        return results;
    }

    /// <summary>A pull reported as plain lines per file: started, each tenth, done.</summary>
    private static async Task<LocalModel> PullPlainAsync(ZooContext context, ModelCard card, CancellationToken ct)
    {
        var lines = new Dictionary<string, PlainProgress>(StringComparer.Ordinal);
        var sizes = card.Files.ToDictionary(f => f.Name, f => f.Size, StringComparer.Ordinal);
        var reporter = new SyncProgress<PullProgress>(p =>
        {
            lock (lines)
            {
                if (!lines.TryGetValue(p.FileName, out var line))
                {
                    var total = p.BytesTotal is > 0 ? p.BytesTotal.Value : sizes.GetValueOrDefault(p.FileName, 1);
                    line = lines[p.FileName] = new PlainProgress(context.Status, $"{card.Handle} {p.FileName}", total, Formatting.Size);
                }
                if (p.Cached)
                {
                    line.Done();
                }
                else
                {
                    line.Report(p.BytesDone);
                }
            }
        });
        var model = await context.Store.PullAsync(card, reporter, ct).ConfigureAwait(false);
        lock (lines)
        {
            foreach (var line in lines.Values)
            {
                line.Done();
            }
        }
        return model;
    }
}
