using System.Diagnostics;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Upscaling;

namespace ModelZoo.Tasks;

/// <summary>
/// Upscales images with a <see cref="ModelTask.SuperResolution"/> model (NHWC RGB in and out, any size), tile by
/// tile through <see cref="TiledUpscaler"/>. The card's input spec says how pixels are scaled in; its output decoder
/// says what range comes out: <c>rgb-255</c> (0–255) or <c>rgb-unit</c> (0–1). Thread-safe.
/// </summary>
public sealed class Upscaler : ITaskPipeline<UpscaledImage, UpscaleOptions>
{
    private static readonly DecoderRegistry<OutputRange> Registry = new("super-resolution",
    [
        ("rgb-255", new OutputRange(1f)),
        ("rgb-unit", new OutputRange(255f)),
    ]);

    private readonly ModelSession _session;
    private readonly ImageTaskOptions _options;
    private readonly float _outputScale;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly string _input;
    private readonly string _output;
    private readonly float _pixelScale;
    private long _images;
    private long _inferenceTicks;
    private long _totalTicks;

    private Upscaler(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Card = model.Card;
        _session = session;
        _options = options;
        _outputScale = Registry.Get(model.Card).Scale;
        var spec = model.Card.Input!;
        _input = TaskSessions.ImageInput(session, spec).Name;
        _output = model.Card.Output?.Name is { } name && session.Outputs.Any(o => o.Name == name) ? name : session.Outputs[0].Name;
        // value = (pixel · scale − mean) / std, per channel.
        _mean = [.. spec.Mean];
        _std = [.. spec.Std];
        _pixelScale = spec.Scale;
    }

    /// <inheritdoc />
    public ModelCard Card { get; }

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => Registry.Names;

    /// <summary>Opens an upscaler over a pulled model; it owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The card is not a super-resolution card.</exception>
    /// <exception cref="ZooException">The card names a decoder this pipeline does not have (<c>decoder-unknown</c>), or
    /// its input is not NHWC RGB (<c>upscale-input</c>).</exception>
    public static Upscaler Open(LocalModel model, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TaskGuard.RequireTask(model.Card, ModelTask.SuperResolution);
        Registry.Get(model.Card);
        if (model.Card.Input is not { Layout: TensorLayout.Nhwc, ColorOrder: ColorOrder.Rgb, Mean.Count: 3, Std.Count: 3 })
        {
            throw new ZooException("upscale-input",
                $"'{model.Card.Handle}' does not take NHWC RGB input, which the upscaler feeds; choose a super-resolution model with input.layout NHWC and colorOrder RGB.");
        }
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => new Upscaler(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified) and opens an upscaler over it.</summary>
    public static async Task<Upscaler> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>Upscales one image.</summary>
    /// <exception cref="ZooUsageException">The options are out of range.</exception>
    public UpscaledImage Upscale(RgbImage image, UpscaleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new UpscaleOptions();
        options.Validate();
        var clock = Stopwatch.StartNew();
        long inference = 0;
        var tiler = new TiledUpscaler((data, h, w) =>
        {
            for (var i = 0; i < data.Length; i++)
            {
                var c = i % 3;
                data[i] = (data[i] * _pixelScale - _mean[c]) / _std[c];
            }
            var start = Stopwatch.GetTimestamp();
            var result = _session.Run(_input, data, [1, h, w, 3], [_output])[0].AsFloats();
            inference += Stopwatch.GetTimestamp() - start;
            return result;
        }, inputScale: 1f, _outputScale, options.Tiling);
        var upscaled = tiler.Upscale(image);
        Interlocked.Increment(ref _images);
        Interlocked.Add(ref _inferenceTicks, inference);
        Interlocked.Add(ref _totalTicks, clock.Elapsed.Ticks);
        return new UpscaledImage(upscaled, tiler.Scale, tiler.TilesRun);
    }

    /// <inheritdoc />
    public UpscaledImage Run(RgbImage image, UpscaleOptions options) => Upscale(image, options);

    /// <inheritdoc />
    public IReadOnlyList<UpscaledImage> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<UpscaleOptions> options) =>
        BatchCalls.EachImage(images, options, Upscale);

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<UpscaledImage>> RunFilesAsync(IReadOnlyList<string> paths, UpscaleOptions options, CancellationToken ct = default) =>
        ImageModelRunner.RunFilesAsync(paths, _options.Decode, image => Upscale(image, options), ct);

    /// <inheritdoc />
    public StageTimings Timings
    {
        get
        {
            var inference = TimeSpan.FromSeconds(Interlocked.Read(ref _inferenceTicks) / (double)Stopwatch.Frequency);
            var total = TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks));
            // Tiling, scaling and clamping are counted as pre- and postprocessing together.
            var rest = total > inference ? total - inference : TimeSpan.Zero;
            return new StageTimings(Interlocked.Read(ref _images), TimeSpan.Zero, rest / 2, inference, rest / 2);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private sealed record OutputRange(float Scale);
}
