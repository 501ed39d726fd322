using SkiaSharp;

namespace ModelZoo.Training.Data;

/// <summary>
/// One augmented view of an image: a crop, an optional mirror, a rotation and a colour change,
/// applied in that order by <see cref="Apply"/>. Views are planned up front by <see cref="Plan"/> so
/// the same (seed, image) always gives the same views, and each view has a <see cref="Key"/> that a
/// feature cache can store its features under.
/// </summary>
/// <param name="Index">Position of the view in its plan (0-based).</param>
/// <param name="FlipHorizontal">Mirror left-right.</param>
/// <param name="CropScale">Crop area as a share of the image area, in (0, 1]; 1 with aspect 1 is the whole image.</param>
/// <param name="CropAspect">Crop width/height relative to the image's own aspect ratio (1 keeps the image's shape).</param>
/// <param name="CropX">Horizontal crop position in [0, 1]: 0 is flush left, 1 flush right.</param>
/// <param name="CropY">Vertical crop position in [0, 1]: 0 is flush top, 1 flush bottom.</param>
/// <param name="RotationDegrees">Clockwise rotation about the centre; corners are filled by extending the edge pixels.</param>
/// <param name="Brightness">Brightness factor (1 unchanged).</param>
/// <param name="Contrast">Contrast factor around mid-grey (1 unchanged).</param>
/// <param name="Saturation">Saturation factor (0 grey, 1 unchanged).</param>
public sealed record AugmentationView(
    int Index,
    bool FlipHorizontal,
    float CropScale,
    float CropAspect,
    float CropX,
    float CropY,
    float RotationDegrees,
    float Brightness,
    float Contrast,
    float Saturation)
{
    /// <summary>Smallest crop area of the random resized crop.</summary>
    public const float MinCropScale = 0.6f;

    /// <summary>Smallest relative crop aspect ratio; the largest is its inverse.</summary>
    public const float MinCropAspect = 3f / 4f;

    /// <summary>Largest rotation, in degrees either way, at <see cref="AugmentationLevel.Strong"/>.</summary>
    public const float MaxRotationDegrees = 15f;

    /// <summary>Largest relative change of brightness, contrast and saturation at <see cref="AugmentationLevel.Strong"/>.</summary>
    public const float ColorJitter = 0.2f;

    /// <summary>The view that leaves the image unchanged.</summary>
    public static AugmentationView Identity { get; } = new(0, false, 1f, 1f, 0.5f, 0.5f, 0f, 1f, 1f, 1f);

    /// <summary>True when this view leaves the pixels unchanged (whatever its <see cref="Index"/>).</summary>
    public bool IsIdentity => this with { Index = 0 } == Identity;

    /// <summary>
    /// A stable text that identifies the transform (not the image): equal keys mean equal pixels.
    /// <c>"identity"</c> for the identity view; otherwise the parameters in invariant culture.
    /// </summary>
    public string Key => IsIdentity
        ? "identity"
        : string.Create(CultureInfo.InvariantCulture,
            $"f{(FlipHorizontal ? 1 : 0)}-s{CropScale:0.####}-a{CropAspect:0.####}-x{CropX:0.####}-y{CropY:0.####}-r{RotationDegrees:0.##}-b{Brightness:0.####}-c{Contrast:0.####}-t{Saturation:0.####}");

    /// <summary>
    /// Plans the views of one image. <see cref="AugmentationLevel.None"/> gives a single
    /// <see cref="Identity"/> view whatever <paramref name="views"/> says. The other levels give
    /// <paramref name="views"/> random views drawn from a generator seeded by
    /// (<paramref name="seed"/>, <paramref name="imageKey"/>), so a plan is reproducible and independent of
    /// the order images are visited in. Parameters are rounded (4 decimals, rotation 2) so that
    /// <see cref="Key"/> describes a view exactly.
    /// </summary>
    /// <param name="level">How strong the augmentation is.</param>
    /// <param name="views">Number of views (at least 1).</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="imageKey">Identifies the image, e.g. its path relative to the dataset or its content hash.</param>
    public static IReadOnlyList<AugmentationView> Plan(AugmentationLevel level, int views, int seed, string imageKey)
    {
        ArgumentNullException.ThrowIfNull(imageKey);
        if (level == AugmentationLevel.None)
        {
            return [Identity];
        }

        if (views < 1)
        {
            throw new ZooUsageException(string.Create(CultureInfo.InvariantCulture,
                $"{views} augmented views per image requested; ask for at least 1 (e.g. 4), or use augmentation level 'none'."));
        }

        if (level is not (AugmentationLevel.Light or AugmentationLevel.Strong))
        {
            throw new ZooUsageException($"unknown augmentation level '{level}'; use none, light or strong.");
        }

        var random = StableRandom.For(seed, imageKey);
        var plan = new AugmentationView[views];
        for (var i = 0; i < views; i++)
        {
            var flip = random.NextDouble() < 0.5;
            var scale = random.Uniform(MinCropScale, 1.0);
            var logAspect = random.Uniform(Math.Log(MinCropAspect), -Math.Log(MinCropAspect));
            var x = random.NextDouble();
            var y = random.NextDouble();
            double rotation = 0, brightness = 1, contrast = 1, saturation = 1;
            if (level == AugmentationLevel.Strong)
            {
                rotation = random.Uniform(-MaxRotationDegrees, MaxRotationDegrees);
                brightness = random.Uniform(1 - ColorJitter, 1 + ColorJitter);
                contrast = random.Uniform(1 - ColorJitter, 1 + ColorJitter);
                saturation = random.Uniform(1 - ColorJitter, 1 + ColorJitter);
            }

            plan[i] = new AugmentationView(i, flip, Round4(scale), Round4(Math.Exp(logAspect)), Round4(x), Round4(y),
                (float)Math.Round(rotation, 2), Round4(brightness), Round4(contrast), Round4(saturation));
        }

        return plan;
    }

    /// <summary>
    /// Renders <paramref name="view"/> of <paramref name="source"/> into a new bitmap of the same size
    /// (the crop is resized back to full size with linear filtering). The caller owns the result.
    /// </summary>
    public static SKBitmap Apply(SKBitmap source, AugmentationView view)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(view);
        int w = source.Width, h = source.Height;
        if (w <= 0 || h <= 0)
        {
            throw new ArgumentException("the source bitmap is empty.", nameof(source));
        }

        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        var result = new SKBitmap(info);
        try
        {
            var (left, top, cropW, cropH) = CropRect(w, h, view);
            using var canvas = new SKCanvas(result);
            canvas.Clear(SKColors.Transparent);

            // Map the crop rectangle onto the whole output: centre the crop at the origin, scale it up,
            // rotate and mirror about the centre, then move the centre to the output's centre.
            canvas.Translate(w / 2f, h / 2f);
            if (view.FlipHorizontal)
            {
                canvas.Scale(-1f, 1f);
            }

            canvas.RotateDegrees(view.RotationDegrees);
            canvas.Scale(w / cropW, h / cropH);
            canvas.Translate(-(left + cropW / 2f), -(top + cropH / 2f));

            using var image = SKImage.FromBitmap(source);
            using var shader = image.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp,
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            using var colorFilter = ColorFilter(view);
            using var paint = new SKPaint { Shader = shader, ColorFilter = colorFilter, IsAntialias = false };
            canvas.DrawPaint(paint);
            canvas.Flush();
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    internal static (float Left, float Top, float Width, float Height) CropRect(int width, int height, AugmentationView view)
    {
        var scale = Math.Clamp(view.CropScale, 1e-3f, 1f);
        var aspect = Math.Max(view.CropAspect, 1e-3f);
        var rw = Math.Min(1f, MathF.Sqrt(scale * aspect));
        var rh = Math.Min(1f, MathF.Sqrt(scale / aspect));
        float cropW = rw * width, cropH = rh * height;
        var left = Math.Clamp(view.CropX, 0f, 1f) * (width - cropW);
        var top = Math.Clamp(view.CropY, 0f, 1f) * (height - cropH);
        return (left, top, cropW, cropH);
    }

    private static SKColorFilter? ColorFilter(AugmentationView view)
    {
        if (view.Brightness == 1f && view.Contrast == 1f && view.Saturation == 1f)
        {
            return null;
        }

        // Saturation: blend each channel with Rec. 601 luma; contrast: scale around 0.5;
        // brightness: multiply. Composed into one 4x5 matrix (translations in 0..1 units).
        const float lr = 0.299f, lg = 0.587f, lb = 0.114f;
        var s = view.Saturation;
        float[,] sat =
        {
            { lr * (1 - s) + s, lg * (1 - s), lb * (1 - s) },
            { lr * (1 - s), lg * (1 - s) + s, lb * (1 - s) },
            { lr * (1 - s), lg * (1 - s), lb * (1 - s) + s },
        };
        var gain = view.Contrast * view.Brightness;
        var offset = (0.5f - 0.5f * view.Contrast) * view.Brightness;
        var m = new float[20];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                m[r * 5 + c] = sat[r, c] * gain;
            }

            m[r * 5 + 4] = offset;
        }

        m[18] = 1f;
        return SKColorFilter.CreateColorMatrix(m);
    }

    private static float Round4(double value) => (float)Math.Round(value, 4);
}
