using System.Diagnostics;
using System.Runtime.CompilerServices;
using ModelZoo.Imaging;

namespace ModelZoo.Tasks;

/// <summary>
/// The one decode-ahead loop over image files: while a batch runs, the next one is decoded and prepared on worker
/// threads. Results come out in input order; a file that cannot be decoded or prepared gives an outcome with its
/// error instead of stopping the run. Given a minimum scale, a file is decoded by the codec's own scaling at the
/// smallest size that still covers it (<c>ImageDecoder.DecodeScaled</c>); the outcome then still gives the file's size,
/// and the preparation maps geometry back onto the file's pixels through <see cref="ScaledImage.ToSource"/>.
/// </summary>
internal static class ImageFileLoop
{
    /// <param name="paths">Image files.</param>
    /// <param name="batchSize">Files per batch (1: one image ahead).</param>
    /// <param name="decodeOptions">Decoder limits.</param>
    /// <param name="minimumScale">The least decode scale for an upright size; null decodes every file at full size.</param>
    /// <param name="prepare">Runs on a worker for each decoded image (preprocessing).</param>
    /// <param name="complete">Runs the decoded images of one batch, in order; returns one result each.</param>
    /// <param name="transformOf">The map back to the image a prepared item carries.</param>
    /// <param name="clock">Counts decode and preparation time; may be null.</param>
    /// <param name="ct">Cancellation.</param>
    public static async IAsyncEnumerable<ImageOutcome<TOut>> RunAsync<TPrepared, TOut>(IReadOnlyList<string> paths, int batchSize,
        ImageDecodeOptions? decodeOptions, Func<int, int, double>? minimumScale, Func<ScaledImage, TPrepared> prepare, Func<IReadOnlyList<LoadedImage<TPrepared>>, IReadOnlyList<TOut>> complete,
        Func<TPrepared, ImageTransform> transformOf, StageClock? clock, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (batchSize < 1)
        {
            throw new ZooUsageException($"batch size must be at least 1, got {batchSize}; pass ImageTaskOptions.BatchSize 1 or more.");
        }
        var batches = paths.Chunk(batchSize).ToList();
        if (batches.Count == 0)
        {
            yield break;
        }
        var next = Task.Run(() => Load(batches[0], decodeOptions, minimumScale, prepare, clock, ct), ct);
        for (var b = 0; b < batches.Count; b++)
        {
            var loaded = await next.ConfigureAwait(false);
            if (b + 1 < batches.Count)
            {
                var following = batches[b + 1];
                next = Task.Run(() => Load(following, decodeOptions, minimumScale, prepare, clock, ct), ct);
            }
            try
            {
                ct.ThrowIfCancellationRequested();
                var ok = loaded.Where(l => l.Item is not null).Select(l => l.Item!).ToList();
                var results = ok.Count > 0 ? complete(ok) : [];
                var k = 0;
                for (var i = 0; i < loaded.Length; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    var (path, item, error) = loaded[i];
                    yield return item is null
                        ? new ImageOutcome<TOut>(path, default, 0, 0, default, error)
                        : new ImageOutcome<TOut>(path, results[k++], item.SourceWidth, item.SourceHeight, transformOf(item.Prepared), null);
                }
            }
            finally
            {
                foreach (var l in loaded)
                {
                    l.Item?.Image.Dispose();
                }
            }
        }
    }

    private static (string Path, LoadedImage<TPrepared>? Item, ZooException? Error)[] Load<TPrepared>(string[] paths,
        ImageDecodeOptions? decodeOptions, Func<int, int, double>? minimumScale, Func<ScaledImage, TPrepared> prepare, StageClock? clock, CancellationToken ct)
    {
        var items = new (string, LoadedImage<TPrepared>?, ZooException?)[paths.Length];
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
                items[i] = (paths[i], new LoadedImage<TPrepared>(paths[i], image, prepared, scaled.SourceWidth, scaled.SourceHeight), null);
            }
            catch (ZooException ex)
            {
                // ImageDecoder reports missing and unreadable files as ImageDecodeException too.
                image?.Dispose();
                items[i] = (paths[i], null, ex);
            }
        }
    }
}
