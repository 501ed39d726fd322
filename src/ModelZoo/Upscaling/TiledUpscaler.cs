namespace ModelZoo.Upscaling;

/// <summary>
/// Upscales an image of any size with a fully convolutional super-resolution model, one tile at a time: the image is cut
/// into <see cref="TilingOptions.TileSize"/> squares, each run with <see cref="TilingOptions.Overlap"/> pixels of
/// context on every side (fewer at the image border, where the whole image has none either), and only the tile's own
/// upscaled square is kept. Every output pixel comes from exactly one tile, so there is no seam to blend: the context
/// makes a tile's kept pixels agree with a whole-image run as far as the receptive field is covered.
/// </summary>
/// <remarks>
/// Memory is bounded by the tile, not the photo: one model call sees at most <c>(T + 2·O)²</c> input pixels
/// (T tile size, O overlap; 160² = 25,600 at the defaults), so its activations are at most
/// <c>(T + 2·O)² · s² · C · 4</c> bytes per live tensor for a model of scale s and widest layer C channels
/// (ONNX Runtime keeps a few such tensors alive at once); the input and output tiles are <c>(T + 2·O)² · 3</c> and
/// <c>s²(T + 2·O)² · 3</c> floats. Beyond that only the output image itself (<c>3 · s² · W · H</c> bytes) grows with the
/// photo.
/// </remarks>
public sealed class TiledUpscaler
{
    private readonly Func<float[], int, int, float[]> _model;
    private readonly TilingOptions _options;
    private readonly float _inputScale;
    private readonly float _outputScale;

    /// <summary>Creates an upscaler over <paramref name="model"/>, which maps an NHWC RGB tile (<c>[1, h, w, 3]</c>
    /// floats, and h, w) to the NHWC upscaled tile <c>[1, s·h, s·w, 3]</c>.</summary>
    /// <param name="model">Runs the model on one tile.</param>
    /// <param name="inputScale">Multiplies the 0–255 pixel values before the model (1 for models taking 0–255,
    /// 1/255 for 0–1).</param>
    /// <param name="outputScale">Multiplies the model's values to get 0–255 (rounded and clamped).</param>
    /// <param name="options">Tile size and overlap; the defaults when null.</param>
    public TiledUpscaler(Func<float[], int, int, float[]> model, float inputScale, float outputScale, TilingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options ?? new TilingOptions();
        _options.Validate();
        _inputScale = inputScale;
        _outputScale = outputScale;
    }

    /// <summary>An upscaler running <paramref name="session"/> (an NHWC model with one image input and output).</summary>
    public static TiledUpscaler ForSession(ModelSession session, float inputScale, float outputScale, TilingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var input = session.Inputs[0].Name;
        var output = session.Outputs[0].Name;
        return new TiledUpscaler((data, h, w) => session.Run(input, data, [1, h, w, 3], [output])[0].AsFloats(),
            inputScale, outputScale, options);
    }

    /// <summary>The model's scale factor, known after the first tile ran (0 before).</summary>
    public int Scale { get; private set; }

    /// <summary>Number of model calls made so far.</summary>
    public int TilesRun { get; private set; }

    /// <summary>The largest tile (input pixels, with its context) a model call has seen.</summary>
    public int LargestTilePixels { get; private set; }

    /// <summary>Upscales <paramref name="image"/>; the result is <see cref="Scale"/> times larger on each side.</summary>
    /// <exception cref="ZooException">The model's output is not an integer multiple of its input, or the scale changes
    /// between tiles.</exception>
    public RgbImage Upscale(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var t = _options.TileSize;
        var o = _options.Overlap;
        byte[]? result = null;
        var scale = 0;
        var pixels = image.Pixels.ToArray();
        for (var ty = 0; ty < image.Height; ty += t)
        {
            for (var tx = 0; tx < image.Width; tx += t)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var coreW = Math.Min(t, image.Width - tx);
                var coreH = Math.Min(t, image.Height - ty);
                var x0 = Math.Max(0, tx - o);
                var y0 = Math.Max(0, ty - o);
                var x1 = Math.Min(image.Width, tx + coreW + o);
                var y1 = Math.Min(image.Height, ty + coreH + o);
                var w = x1 - x0;
                var h = y1 - y0;
                var input = new float[h * w * 3];
                for (var y = 0; y < h; y++)
                {
                    var src = ((y0 + y) * image.Width + x0) * 3;
                    for (var i = 0; i < w * 3; i++)
                    {
                        input[y * w * 3 + i] = pixels[src + i] * _inputScale;
                    }
                }
                var output = _model(input, h, w);
                TilesRun++;
                LargestTilePixels = Math.Max(LargestTilePixels, w * h);
                var s = ScaleOf(output.Length, w, h);
                if (scale == 0)
                {
                    scale = s;
                    Scale = s;
                    result = new byte[checked(image.Width * s * image.Height * s * 3)];
                }
                else if (s != scale)
                {
                    throw ZooErrors.UpscaleModelOutput.Raise(
                        $"The model upscaled one tile {s}x and another {scale}x; use a super-resolution model with one fixed scale.");
                }
                var outW = image.Width * s;
                var tileW = w * s;
                for (var y = 0; y < coreH * s; y++)
                {
                    var srcRow = ((ty - y0) * s + y) * tileW + (tx - x0) * s;
                    var dstRow = (ty * s + y) * outW + tx * s;
                    for (var x = 0; x < coreW * s; x++)
                    {
                        for (var ch = 0; ch < 3; ch++)
                        {
                            var v = output[(srcRow + x) * 3 + ch] * _outputScale;
                            result![(dstRow + x) * 3 + ch] = float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
                        }
                    }
                }
            }
        }
        return RgbImage.FromPixels(image.Width * scale, image.Height * scale, result!);
    }

    private static int ScaleOf(int length, int w, int h)
    {
        var ratio = length / (3.0 * w * h);
        var s = (int)Math.Round(Math.Sqrt(ratio));
        if (s < 1 || (long)s * s * w * h * 3 != length)
        {
            throw ZooErrors.UpscaleModelOutput.Raise(
                $"The model returned {length} values for a {w}x{h} RGB tile, not an integer multiple of its size; use a super-resolution model (NHWC RGB in and out).");
        }
        return s;
    }
}
