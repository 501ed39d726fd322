using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ModelZoo.Tasks;

/// <summary>
/// The one decode-ahead loop over image files, a three-stage pipeline: workers decode and prepare the next files while
/// a batch is in inference on the loop's thread, and the previous batch's postprocessing runs on a worker meanwhile.
/// Results come out in input order; a file that cannot be decoded or prepared gives an outcome with its error instead
/// of stopping the run. Given a minimum scale, a file is decoded by the codec's own scaling at the smallest size that
/// still covers it (<c>ImageDecoder.DecodeScaled</c>); the outcome then still gives the file's size, and the preparation
/// maps geometry back onto the file's pixels through <see cref="ScaledImage.ToSource"/>.
/// </summary>
/// <remarks>With one file per batch, decoding one file is single-threaded, so several files are decoded at once (one
/// more than the cores, at most <see cref="MaxFilesAhead"/>): when a photo takes longer to decode than the model takes
/// to run, one decoder would leave the model waiting, and a core that finishes a file finds the next one started. A
/// larger batch is decoded by a parallel loop over its files, one batch ahead. Postprocessing of consecutive batches
/// never overlaps, so a caller's per-result callback runs one batch at a time, in order.</remarks>
internal static class ImageFileLoop
{
    /// <summary>The most single-file batches decoded ahead: beyond this, memory grows with no gain on any machine the
    /// inference stage keeps busy.</summary>
    private const int MaxFilesAhead = 4;

    /// <param name="paths">Image files.</param>
    /// <param name="batchSize">Files per batch (1: one image per inference call).</param>
    /// <param name="decodeOptions">Decoder limits.</param>
    /// <param name="minimumScale">The least decode scale for an upright size; null decodes every file at full size.</param>
    /// <param name="prepare">Runs on a worker for each decoded image (preprocessing).</param>
    /// <param name="infer">Runs inference on the decoded images of one batch, in order, on the loop's thread, and returns
    /// their postprocessing (one result each), which runs on a worker while the next batch is in inference.</param>
    /// <param name="transformOf">The map back to the image a prepared item carries.</param>
    /// <param name="clock">Counts decode and preparation time; may be null.</param>
    /// <param name="ct">Cancellation.</param>
    public static async IAsyncEnumerable<ImageOutcome<TOut>> RunAsync<TPrepared, TOut>(IReadOnlyList<string> paths, int batchSize,
        ImageDecodeOptions? decodeOptions, Func<int, int, double>? minimumScale, Func<ScaledImage, TPrepared> prepare,
        Func<IReadOnlyList<LoadedImage<TPrepared>>, Func<IReadOnlyList<TOut>>> infer,
        Func<TPrepared, ImageTransform> transformOf, StageClock? clock, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (batchSize < 1)
        {
            throw new ZooUsageException($"batch size must be at least 1, got {batchSize}; pass ImageTaskOptions.BatchSize 1 or more.");
        }
        var ahead = batchSize == 1 ? Math.Clamp(Environment.ProcessorCount + 1, 2, MaxFilesAhead) : 1;
        var decoding = new DecodeAhead<TPrepared>(paths.Chunk(batchSize).ToList(), ahead,
            batch => Load(batch, decodeOptions, minimumScale, prepare, clock, ct), ct);
        Loaded<TPrepared>[]? current = null;
        Loaded<TPrepared>[]? yielding = null;
        (Loaded<TPrepared>[] Items, Task<IReadOnlyList<TOut>> Results)? pending = null;
        try
        {
            while (decoding.HasNext || pending is not null)
            {
                // Inference's exception is held as a faulted task: the previous batch's results are still owed first.
                Task<Func<IReadOnlyList<TOut>>>? started = null;
                if (decoding.HasNext)
                {
                    var loaded = current = await decoding.NextAsync().ConfigureAwait(false);
                    ct.ThrowIfCancellationRequested();
                    started = Capture(() => Infer(loaded, infer));
                }
                IReadOnlyList<TOut>? previousResults = null;
                if (pending is { } previous)
                {
                    pending = null;
                    yielding = previous.Items;
                    previousResults = await previous.Results.ConfigureAwait(false);
                }
                if (started is { IsCompletedSuccessfully: true })
                {
                    // The last batch has nothing to overlap with, so it is postprocessed here, without a thread hop.
                    var finish = started.Result;
                    pending = (current!, decoding.HasNext ? Task.Run(finish, ct) : Capture(finish));
                    current = null;
                }
                if (yielding is not null)
                {
                    foreach (var outcome in Outcomes(yielding, previousResults!, transformOf))
                    {
                        ct.ThrowIfCancellationRequested();
                        yield return outcome;
                    }
                    Release(yielding);
                    yielding = null;
                }
                if (started is { IsFaulted: true })
                {
                    await started.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // A caller that stops early (or an error) leaves work in flight: let it finish, then free its images.
            Release(current);
            Release(yielding);
            if (pending is { } unfinished)
            {
                await Task.WhenAny(unfinished.Results).ConfigureAwait(false);
                Release(unfinished.Items);
            }
            await decoding.DrainAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs inference on a batch's decoded files and returns their postprocessing.</summary>
    private static Func<IReadOnlyList<TOut>> Infer<TPrepared, TOut>(Loaded<TPrepared>[] loaded,
        Func<IReadOnlyList<LoadedImage<TPrepared>>, Func<IReadOnlyList<TOut>>> infer)
    {
        var ok = loaded.Where(l => l.Item is not null).Select(l => l.Item!).ToList();
        return ok.Count > 0 ? infer(ok) : static () => [];
    }

    /// <summary>Runs <paramref name="work"/> now; an exception becomes the task's, so it can surface in order.</summary>
    private static Task<T> Capture<T>(Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private static IEnumerable<ImageOutcome<TOut>> Outcomes<TPrepared, TOut>(Loaded<TPrepared>[] loaded, IReadOnlyList<TOut> results,
        Func<TPrepared, ImageTransform> transformOf)
    {
        var k = 0;
        foreach (var (path, item, error) in loaded)
        {
            yield return item is null
                ? new ImageOutcome<TOut>(path, default, 0, 0, default, error)
                : new ImageOutcome<TOut>(path, results[k++], item.SourceWidth, item.SourceHeight, transformOf(item.Prepared), null);
        }
    }

    private static void Release<TPrepared>(Loaded<TPrepared>[]? loaded)
    {
        foreach (var l in loaded ?? [])
        {
            l.Item?.Image.Dispose();
        }
    }

    private static Loaded<TPrepared>[] Load<TPrepared>(string[] paths,
        ImageDecodeOptions? decodeOptions, Func<int, int, double>? minimumScale, Func<ScaledImage, TPrepared> prepare, StageClock? clock, CancellationToken ct)
    {
        var items = new Loaded<TPrepared>[paths.Length];
        if (paths.Length == 1)
        {
            // One file (a batch of one): no parallel loop, whose helper tasks would only wake pool threads to spin.
            ct.ThrowIfCancellationRequested();
            LoadOne(0);
            return items;
        }
        Parallel.For(0, paths.Length, new ParallelOptions { CancellationToken = ct }, LoadOne);
        return items;

        void LoadOne(int i)
        {
            RgbImage? image = null;
            try
            {
                var start = Stopwatch.GetTimestamp();
                var scaled = ImageDecoder.DecodeScaled(paths[i], decodeOptions, minimumScale);
                image = scaled.Image;
                var decoded = Stopwatch.GetTimestamp();
                clock?.Add(PipelineStage.Decode, decoded - start);
                var prepared = prepare(scaled);
                clock?.Add(PipelineStage.Preprocess, Stopwatch.GetTimestamp() - decoded);
                items[i] = new(paths[i], new LoadedImage<TPrepared>(paths[i], image, prepared, scaled.SourceWidth, scaled.SourceHeight), null);
            }
            catch (ZooException ex)
            {
                // ImageDecoder reports missing and unreadable files as ImageDecodeException too.
                image?.Dispose();
                items[i] = new(paths[i], null, ex);
            }
        }
    }

    /// <summary>Batches decoding on workers, at most a given number in flight, taken in input order.</summary>
    private sealed class DecodeAhead<TPrepared>(IReadOnlyList<string[]> batches, int ahead, Func<string[], Loaded<TPrepared>[]> load,
        CancellationToken ct)
    {
        private readonly Queue<Task<Loaded<TPrepared>[]>> _loads = new();
        private int _started;

        public bool HasNext => _loads.Count > 0 || _started < batches.Count;

        public async Task<Loaded<TPrepared>[]> NextAsync()
        {
            TopUp();
            var next = _loads.Dequeue();
            TopUp();
            return await next.ConfigureAwait(false);
        }

        /// <summary>Waits for the batches still decoding and frees their images.</summary>
        public async Task DrainAsync()
        {
            while (_loads.Count > 0)
            {
                var load = _loads.Dequeue();
                await Task.WhenAny(load).ConfigureAwait(false);
                if (load.IsCompletedSuccessfully)
                {
                    Release(load.Result);
                }
            }
        }

        private void TopUp()
        {
            while (_started < batches.Count && _loads.Count < ahead)
            {
                var batch = batches[_started++];
                _loads.Enqueue(Task.Run(() => load(batch), ct));
            }
        }
    }

    /// <summary>One file of a batch: decoded and prepared, or the error that stopped it.</summary>
    private readonly record struct Loaded<TPrepared>(string Path, LoadedImage<TPrepared>? Item, ZooException? Error);
}
