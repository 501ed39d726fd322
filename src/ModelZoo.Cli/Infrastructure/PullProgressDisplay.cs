using ModelZoo.Catalog;
using ModelZoo.Store;
using Spectre.Console;

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
                    var reporter = new DirectProgress(p =>
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

    private sealed class DirectProgress(Action<PullProgress> report) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => report(value);
    }
}
