using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>Sizes and colours shared by every <see cref="IAnnotationLayer"/> on one image: line widths and text scale
/// with the image.</summary>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
public sealed record AnnotationStyle(int Width, int Height)
{
    private static readonly SKColor[] Palette =
    [
        new(0xFF, 0x38, 0x38), new(0xFF, 0x9D, 0x97), new(0xFF, 0x70, 0x1F), new(0xFF, 0xB2, 0x1D), new(0xCF, 0xD2, 0x31),
        new(0x48, 0xF9, 0x0A), new(0x92, 0xCC, 0x17), new(0x3D, 0xDB, 0x86), new(0x1A, 0x93, 0x34), new(0x00, 0xD4, 0xBB),
        new(0x2C, 0x99, 0xA8), new(0x00, 0xC2, 0xFF), new(0x34, 0x45, 0x93), new(0x64, 0x73, 0xFF), new(0x00, 0x18, 0xEC),
        new(0x84, 0x38, 0xFF), new(0x52, 0x00, 0x85), new(0xCB, 0x38, 0xFF), new(0xFF, 0x95, 0xC8), new(0xFF, 0x37, 0xC7),
    ];

    /// <summary>Colour number <paramref name="index"/> of the palette (wraps around).</summary>
    public static SKColor Color(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    private float Scale => Math.Max(Width, Height) / 640f;

    /// <summary>Line width of boxes and limbs.</summary>
    public float Stroke => Math.Max(2f, 3f * Scale);

    /// <summary>Label text size.</summary>
    public float TextSize => Math.Max(11f, 16f * Scale);

    /// <summary>Padding inside a label tag.</summary>
    public float TagPadding => TextSize * 0.25f;

    /// <summary>Height of one label tag.</summary>
    public float TagHeight => TextSize + 2 * TagPadding;

    /// <summary>A score as a whole percentage without a space (<c>87%</c>).</summary>
    public static string Percent(float score) => score.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>Strokes a box outline.</summary>
    public static void DrawBox(SKCanvas canvas, BoundingBox box, SKColor color, float stroke)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        using var paint = new SKPaint { Color = color, StrokeWidth = stroke, IsAntialias = true, Style = SKPaintStyle.Stroke };
        canvas.DrawRect(box.X, box.Y, box.Width, box.Height, paint);
    }
}
