namespace ModelZoo.Tasks;

/// <summary>Cuts the square around a face that attribute models are fed.</summary>
internal static class FaceCrop
{
    /// <summary>
    /// A square centred on <paramref name="box"/> whose side is the box's longer side grown by
    /// <paramref name="margin"/> (0.25 adds a quarter); parts outside the image are black. The caller disposes it.
    /// </summary>
    public static RgbImage Square(RgbImage image, BoundingBox box, float margin)
    {
        var side = Math.Max(1, (int)MathF.Ceiling(Math.Max(box.Width, box.Height) * (1f + margin)));
        var left = (int)MathF.Floor(box.X + box.Width / 2 - side / 2f);
        var top = (int)MathF.Floor(box.Y + box.Height / 2 - side / 2f);
        var crop = RgbImage.Rent(side, side);
        var dst = crop.WritablePixels;
        dst.Clear();
        var src = image.Pixels;
        int x0 = Math.Max(left, 0), x1 = Math.Min(left + side, image.Width);
        if (x1 <= x0)
        {
            return crop;
        }
        for (var y = Math.Max(top, 0); y < Math.Min(top + side, image.Height); y++)
        {
            src.Slice(3 * (y * image.Width + x0), 3 * (x1 - x0))
                .CopyTo(dst.Slice(3 * ((y - top) * side + (x0 - left))));
        }
        return crop;
    }
}
