using ModelZoo.Upscaling;

namespace ModelZoo.Tasks;

/// <summary>
/// Upscales images with a <see cref="ModelTask.SuperResolution"/> model (NHWC RGB in and out, any size), tile by
/// tile through <see cref="TiledUpscaler"/>, on the image-pipeline template. The card's input spec says how pixels are
/// scaled in; its output decoder says what range comes out: <c>rgb-255</c> (0–255) or <c>rgb-unit</c> (0–1).
/// Thread-safe.
/// </summary>
public sealed class Upscaler : ImagePipeline<Upscaler, UpscaledImage, UpscaleOptions>, IImagePipelineFactory<Upscaler>
{
    private static readonly DecoderRegistry<OutputRange> Registry = new("super-resolution",
    [
        ("rgb-255", new OutputRange(1f)),
        ("rgb-unit", new OutputRange(255f)),
    ]);

    private readonly float _outputScale;
    private readonly float _pixelScale;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly string _input;
    private readonly string _output;

    private Upscaler(LocalModel model, ModelSession session, ImageTaskOptions options)
        : base(model, session, options)
    {
        _outputScale = Registry.Get(model.Card).Scale;
        var spec = model.Card.Input!;
        _input = TaskSessions.ImageInput(session, spec).Name;
        _output = model.Card.Output?.Name is { } name && session.Outputs.Any(o => o.Name == name) ? name : session.Outputs[0].Name;
        // value = (pixel · scale − mean) / std, per channel.
        _mean = [.. spec.Mean];
        _std = [.. spec.Std];
        _pixelScale = spec.Scale;
    }

    static ModelTask IImagePipelineFactory<Upscaler>.PipelineTask => ModelTask.SuperResolution;

    static void IImagePipelineFactory<Upscaler>.CheckCard(ModelCard card) => CheckCard(card);

    static Upscaler IImagePipelineFactory<Upscaler>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => Registry.Names;

    /// <summary>Upscales one image (default tiling when <paramref name="options"/> is null).</summary>
    /// <exception cref="ZooUsageException">The options are out of range.</exception>
    public UpscaledImage Upscale(RgbImage image, UpscaleOptions? options = null) => Run(image, options ?? new UpscaleOptions());

    private static void CheckCard(ModelCard card)
    {
        Registry.Get(card);
        if (card.Input is not { Layout: TensorLayout.Nhwc, ColorOrder: ColorOrder.Rgb, Mean.Count: 3, Std.Count: 3 })
        {
            throw ZooErrors.UpscaleInput.Raise(
                $"'{card.Handle}' does not take NHWC RGB input, which the upscaler feeds; choose a super-resolution model with input.layout NHWC and colorOrder RGB.");
        }
    }

    /// <summary>Tiles are cut from the image itself.</summary>
    private protected override bool ReadsSourcePixels => true;

    private protected override void Validate(UpscaleOptions options) => options.Validate();

    // The tiles are cut in Complete: a whole-photo input tensor is what tiling avoids.
    private protected override PreparedImage Preprocess(RgbImage image) =>
        new(Array.Empty<float>(), new ImageTransform(1, 1, 0, 0, image.Width, image.Height), image);

    private protected override Func<IReadOnlyList<UpscaledImage>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<UpscaleOptions> options) =>
        Done(batch.Select((prepared, i) => Tile(prepared.Source, options[i])).ToList());

    private UpscaledImage Tile(RgbImage image, UpscaleOptions options)
    {
        var tiler = new TiledUpscaler((data, h, w) =>
        {
            for (var i = 0; i < data.Length; i++)
            {
                var c = i % 3;
                data[i] = (data[i] * _pixelScale - _mean[c]) / _std[c];
            }
            return Infer(() => PipelineSession.Run(_input, data, [1, h, w, 3], [_output])[0].AsFloats());
        }, inputScale: 1f, _outputScale, options.Tiling);
        var upscaled = tiler.Upscale(image);
        return new UpscaledImage(upscaled, tiler.Scale, tiler.TilesRun);
    }

    private sealed record OutputRange(float Scale);
}
