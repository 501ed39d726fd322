namespace ModelZoo.Tasks;

/// <summary>An axis-aligned box in image pixels: top-left corner, width and height.</summary>
/// <param name="X">Left edge in pixels.</param>
/// <param name="Y">Top edge in pixels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct BoundingBox(float X, float Y, float Width, float Height)
{
    /// <summary>Right edge (<c>X + Width</c>).</summary>
    public float Right => X + Width;

    /// <summary>Bottom edge (<c>Y + Height</c>).</summary>
    public float Bottom => Y + Height;

    /// <summary>Area in square pixels (zero for an empty box).</summary>
    public float Area => Math.Max(Width, 0f) * Math.Max(Height, 0f);

    /// <summary>A box from its corners.</summary>
    public static BoundingBox FromCorners(float x1, float y1, float x2, float y2) => new(x1, y1, x2 - x1, y2 - y1);

    /// <summary>Intersection over union with <paramref name="other"/> (0 when either is empty).</summary>
    public float IntersectionOverUnion(BoundingBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0f || h <= 0f)
        {
            return 0f;
        }
        var intersection = w * h;
        var union = Area + other.Area - intersection;
        return union <= 0f ? 0f : intersection / union;
    }
}
