using System.Diagnostics;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Runtime;

namespace ModelZoo.Training.Features;

/// <summary>
/// Runs a headless backbone over image files with a <see cref="FeatureCache"/> in front of it: files are hashed,
/// cached vectors are read back, and only the missing (image, view) pairs are decoded, augmented, preprocessed
/// (on worker threads, one batch ahead) and run through the backbone in batches. Unreadable images are reported,
/// not thrown. One call at a time per instance; dispose to release the native session.
/// </summary>
public sealed class BackboneFeatureExtractor : IDisposable
{
    private readonly OnnxModel _graph;
    private readonly string _outputName;
    private ModelSession? _session;
    private ImageBatchRunner? _runner;
    private readonly InputSpec _spec;
    private readonly ImageTaskOptions _options;
    private readonly FeatureCache _cache;
    private readonly string _backboneKey;
    private readonly string _fullDecodeKey;
    private readonly string _scaledDecodeKey;

    private BackboneFeatureExtractor(OnnxModel graph, HeadlessModel backbone, InputSpec spec, FeatureCache cache, string backboneKey, ImageTaskOptions options)
    {
        _graph = graph;
        _outputName = backbone.OutputName;
        _spec = spec;
        _cache = cache;
        _options = options;
        _backboneKey = backboneKey;
        _fullDecodeKey = FeatureKeys.Preprocessing(spec);
        _scaledDecodeKey = FeatureKeys.Preprocessing(spec, scaledDecode: true);
        FeatureSize = backbone.FeatureSize;
    }

    /// <summary>Length of each feature vector.</summary>
    public int FeatureSize { get; }

    /// <summary>The backbone key cache entries are filed under.</summary>
    public string BackboneKey => _backboneKey;

    /// <summary>The cache this extractor reads and fills.</summary>
    public FeatureCache Cache => _cache;

    /// <summary>Time spent creating the ONNX Runtime session (zero until a vector had to be computed).</summary>
    public TimeSpan SessionOpenTime { get; private set; }

    /// <summary>
    /// Opens an extractor over <paramref name="backbone"/>, with <paramref name="preprocessGraph"/> (the card's
    /// publisher preprocessing, if any) joined in front of it, feeding images preprocessed per <paramref name="spec"/>.
    /// The ONNX Runtime session is created on the first cache miss, so a fully cached run never loads the backbone.
    /// </summary>
    /// <param name="backbone">The headless model (output: features [batch, D]).</param>
    /// <param name="spec">The base card's input spec.</param>
    /// <param name="preprocessGraph">The card's preprocessing graph, or null.</param>
    /// <param name="backboneKey">Cache key of this backbone (<see cref="FeatureKeys.Backbone"/>).</param>
    /// <param name="cache">Where vectors are cached.</param>
    /// <param name="options">Batch size, decoder limits and session settings.</param>
    public static BackboneFeatureExtractor Open(HeadlessModel backbone, InputSpec spec, OnnxModel? preprocessGraph, string backboneKey,
        FeatureCache cache, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(backboneKey);
        ArgumentNullException.ThrowIfNull(cache);
        options ??= new ImageTaskOptions();
        var graph = preprocessGraph is null ? backbone.Model : GraphComposer.Prepend(preprocessGraph, backbone.Model, spec.Name);
        return new BackboneFeatureExtractor(graph, backbone, spec, cache, backboneKey, options);
    }

    /// <summary>
    /// Feature vectors of <paramref name="paths"/>: for each image, one vector per view that <paramref name="plan"/>
    /// gives for the image's content SHA-256 (null plan: the image as it is).
    /// </summary>
    /// <param name="paths">Image files.</param>
    /// <param name="plan">Views per image, from its content hash; null for the identity view only.</param>
    /// <param name="progress">Receives the number of images finished so far.</param>
    /// <param name="ct">Cancels between batches.</param>
    public async Task<FeatureExtractionRun> ExtractAsync(IReadOnlyList<string> paths, Func<string, IReadOnlyList<AugmentationView>>? plan = null,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var hitsBefore = _cache.Hits;
        var computed = 0;
        var slots = new Slot[paths.Count];
        var reading = Stopwatch.StartNew();
        await Task.Run(() => Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = ct }, i => slots[i] = Lookup(paths[i], plan)), ct)
            .ConfigureAwait(false);
        reading.Stop();

        var done = slots.Count(s => s.Remaining == 0);
        progress?.Report(done);
        var samples = Pending(slots);

        var decoding = TimeSpan.Zero;
        var backbone = new Stopwatch();
        var caching = new Stopwatch();
        var stageTicks = new long[2];
        var batchSize = Math.Max(1, _options.BatchSize);
        var batches = samples.Chunk(batchSize).ToList();
        if (batches.Count > 0)
        {
            var runner = Runner();
            var next = Task.Run(() => Prepare(batches[0], slots, paths, stageTicks, ct), ct);
            for (var b = 0; b < batches.Count; b++)
            {
                var prepared = await next.ConfigureAwait(false);
                decoding += prepared.Elapsed;
                if (b + 1 < batches.Count)
                {
                    var following = batches[b + 1];
                    next = Task.Run(() => Prepare(following, slots, paths, stageTicks, ct), ct);
                }

                ct.ThrowIfCancellationRequested();
                if (prepared.Count > 0)
                {
                    backbone.Start();
                    var rows = runner.Infer(prepared.Tensor, prepared.Count);
                    backbone.Stop();
                    caching.Start();
                    computed += rows.Length;
                    Store(prepared.Samples, rows, slots);
                    caching.Stop();
                }

                foreach (var (image, _) in batches[b])
                {
                    if (Interlocked.Decrement(ref slots[image].Remaining) == 0)
                    {
                        done++;
                    }
                }

                progress?.Report(done);
            }
        }

        var images = slots.Select((s, i) => s.Error is not null
                ? new ImageFeatures(paths[i], s.Sha, s.Views, null, s.Error)
                : new ImageFeatures(paths[i], s.Sha, s.Views, s.Features.Select(f => f!).ToArray(), null))
            .ToList();
        var stages = new ModelZoo.Tasks.StageTimings(computed, Stopwatch.GetElapsedTime(0, stageTicks[0]), Stopwatch.GetElapsedTime(0, stageTicks[1]),
            backbone.Elapsed, caching.Elapsed);
        return new FeatureExtractionRun(images, _cache.Hits - hitsBefore, computed, reading.Elapsed, decoding, backbone.Elapsed, stages);
    }

    /// <inheritdoc />
    public void Dispose() => _session?.Dispose();

    /// <summary>The (image, view) pairs the cache did not answer, in image order.</summary>
    private static List<(int Image, int View)> Pending(Slot[] slots)
    {
        var samples = new List<(int Image, int View)>();
        for (var i = 0; i < slots.Length; i++)
        {
            for (var v = 0; v < slots[i].Views.Count; v++)
            {
                if (slots[i].Error is null && slots[i].Features[v] is null)
                {
                    samples.Add((i, v));
                }
            }
        }
        return samples;
    }

    /// <summary>Puts each computed row into the cache and into its image's slot.</summary>
    private void Store(IReadOnlyList<(int Image, int View)> samples, float[][] rows, Slot[] slots)
    {
        for (var r = 0; r < rows.Length; r++)
        {
            var (image, view) = samples[r];
            var slot = slots[image];
            _cache.Put(new FeatureKey(_backboneKey, PreprocessingKey(slot.Views), slot.Sha!, slot.Views[view].Key), rows[r]);
            slot.Features[view] = rows[r];
        }
    }

    private ImageBatchRunner Runner()
    {
        if (_runner is null)
        {
            var watch = Stopwatch.StartNew();
            _session = ModelSession.Open(_graph, _options.Session);
            _runner = new ImageBatchRunner(_session, _spec, _outputName);
            SessionOpenTime += watch.Elapsed;
        }

        return _runner;
    }

    private Slot Lookup(string path, Func<string, IReadOnlyList<AugmentationView>>? plan)
    {
        string sha;
        try
        {
            sha = FeatureKeys.Content(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Slot(null, [AugmentationView.Identity], Unreadable(path, ex));
        }

        var views = plan?.Invoke(sha) ?? [AugmentationView.Identity];
        var slot = new Slot(sha, views, null);
        for (var v = 0; v < views.Count; v++)
        {
            if (_cache.TryGet(new FeatureKey(_backboneKey, PreprocessingKey(views), sha, views[v].Key), out var features) && features.Length == FeatureSize)
            {
                slot.Features[v] = features;
                slot.Remaining--;
            }
        }

        return slot;
    }

    // stageTicks: decode and preprocess Stopwatch ticks, summed over the workers as image pipelines sum them.
    private Prepared Prepare((int Image, int View)[] batch, Slot[] slots, IReadOnlyList<string> paths, long[] stageTicks, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var length = ImagePreprocessor.TensorLength(_spec);
        var tensors = new float[batch.Length][];
        var groups = batch.Select((s, index) => (s.Image, s.View, index)).GroupBy(s => s.Image).ToList();
        Parallel.ForEach(groups, new ParallelOptions { CancellationToken = ct }, group =>
        {
            var slot = slots[group.Key];
            var path = paths[group.Key];
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (FeatureKeys.Content(bytes) != slot.Sha)
                {
                    throw ZooErrors.ImageChanged.Raise($"'{path}' changed while features were being extracted; run again once the dataset is no longer being written.");
                }

                var decodeStart = Stopwatch.GetTimestamp();
                using var image = ImageDecoder.DecodeScaled(bytes, path, _options.Decode, DecodeScale(slot.Views)).Image;
                var decoded = Stopwatch.GetTimestamp();
                Interlocked.Add(ref stageTicks[0], decoded - decodeStart);
                foreach (var (_, view, index) in group)
                {
                    var tensor = new float[length];
                    var plan = slot.Views[view];
                    if (plan.IsIdentity)
                    {
                        ImagePreprocessor.WriteTensor(image, _spec, tensor);
                    }
                    else
                    {
                        using var bitmap = image.ToBitmap();
                        using var augmented = AugmentationView.Apply(bitmap, plan);
                        using var viewImage = RgbImage.FromBitmap(augmented);
                        ImagePreprocessor.WriteTensor(viewImage, _spec, tensor);
                    }

                    tensors[index] = tensor;
                }
                Interlocked.Add(ref stageTicks[1], Stopwatch.GetTimestamp() - decoded);
            }
            catch (ZooException ex)
            {
                slot.Error ??= ex;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                slot.Error ??= Unreadable(path, ex);
            }
        });

        var ok = Enumerable.Range(0, batch.Length).Where(i => tensors[i] is not null && slots[batch[i].Image].Error is null).ToArray();
        var packed = new float[ok.Length * length];
        for (var i = 0; i < ok.Length; i++)
        {
            tensors[ok[i]].CopyTo(packed, i * length);
        }

        return new Prepared(ok.Select(i => batch[i]).ToArray(), packed, ok.Length, watch.Elapsed);
    }

    /// <summary>Whether an image with <paramref name="views"/> is decoded at a DCT scale (<see cref="ImageTaskOptions.ScaledDecode"/>):
    /// only when every view is the image as it is, since a crop or rotation needs the pixels the resize alone would drop.</summary>
    private bool Scaled(IReadOnlyList<AugmentationView> views) => _options.ScaledDecode && views.All(v => v.IsIdentity);

    // Vectors from a scaled decode differ slightly from a full one's, so each is cached under its own recipe.
    private string PreprocessingKey(IReadOnlyList<AugmentationView> views) => Scaled(views) ? _scaledDecodeKey : _fullDecodeKey;

    private Func<int, int, double>? DecodeScale(IReadOnlyList<AugmentationView> views) =>
        Scaled(views) ? ImagePreprocessor.DecodeScale(_spec) : null;

    private static ZooException Unreadable(string path, Exception ex) =>
        new(ZooErrors.ImageUnreadable, $"cannot read '{path}': {ex.Message}; check the path and permissions.", ex);

    private sealed class Slot
    {
        public Slot(string? sha, IReadOnlyList<AugmentationView> views, ZooException? error)
        {
            Sha = sha;
            Views = views;
            Error = error;
            Features = new float[views.Count][];
            Remaining = error is null ? views.Count : 0;
        }

        public string? Sha { get; }

        public IReadOnlyList<AugmentationView> Views { get; }

        public float[]?[] Features { get; }

        public ZooException? Error { get; set; }

        public int Remaining;
    }

    private sealed record Prepared((int Image, int View)[] Samples, float[] Tensor, int Count, TimeSpan Elapsed);
}
