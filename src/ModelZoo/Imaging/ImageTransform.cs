namespace ModelZoo.Imaging;

/// <summary>
/// The affine map from the decoded (upright) source image to the model's input image, as produced by
/// <see cref="ImagePreprocessor"/>: <c>input = source * Scale + Offset</c> on each axis, in continuous
/// pixel coordinates (the top-left corner of the top-left pixel is 0,0). Use <see cref="MapToSource"/>
/// to bring boxes and keypoints a model predicts back onto the original image.
/// </summary>
/// <param name="ScaleX">Model-input pixels per source pixel along x.</param>
/// <param name="ScaleY">Model-input pixels per source pixel along y.</param>
/// <param name="OffsetX">Model-input x of the source's left edge (negative when cropped, positive when padded).</param>
/// <param name="OffsetY">Model-input y of the source's top edge (negative when cropped, positive when padded).</param>
/// <param name="SourceWidth">Width of the source image in pixels.</param>
/// <param name="SourceHeight">Height of the source image in pixels.</param>
public readonly record struct ImageTransform(float ScaleX, float ScaleY, float OffsetX, float OffsetY, int SourceWidth, int SourceHeight)
{
    /// <summary>Maps a point in model-input pixels to source-image pixels (not clamped; see <see cref="ClampToSource"/>).</summary>
    public (float X, float Y) MapToSource(float x, float y) => ((x - OffsetX) / ScaleX, (y - OffsetY) / ScaleY);

    /// <summary>Maps a point in source-image pixels to model-input pixels.</summary>
    public (float X, float Y) MapToInput(float x, float y) => (x * ScaleX + OffsetX, y * ScaleY + OffsetY);

    /// <summary>Maps a point in model-input pixels to source pixels and clamps it to the source's bounds,
    /// for boxes that reach into letterbox padding.</summary>
    public (float X, float Y) ClampToSource(float x, float y)
    {
        var (sx, sy) = MapToSource(x, y);
        return (Math.Clamp(sx, 0f, SourceWidth), Math.Clamp(sy, 0f, SourceHeight));
    }
}
