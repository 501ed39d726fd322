namespace ModelZoo.Upscaling;

/// <summary>How <see cref="TiledUpscaler"/> cuts an image into tiles.</summary>
public sealed record TilingOptions
{
    /// <summary>Side of the part of each tile whose upscaled pixels are kept, in input pixels (default 128, the patch
    /// size the ESRGAN models were published with).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>Context added on every side of a tile and cropped away after the model ran, in input pixels (default 16).
    /// A pixel's result is the same as on the whole image when the model's receptive field reaches at most this far
    /// (13 pixels for the slim ESRGAN models); a deeper model sees zero padding there instead of the neighbouring
    /// pixels, which the crop keeps away from the kept pixels.</summary>
    public int Overlap { get; init; } = 16;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ZooUsageException">The tile size is below 8 or above 4096, or the overlap negative or above 512.</exception>
    public void Validate()
    {
        if (TileSize is < 8 or > 4096)
        {
            throw new ZooUsageException($"The tile size {TileSize} is out of range; choose 8 to 4096 input pixels (TilingOptions.TileSize).");
        }
        if (Overlap is < 0 or > 512)
        {
            throw new ZooUsageException($"The tile overlap {Overlap} is out of range; choose 0 to 512 input pixels (TilingOptions.Overlap).");
        }
    }
}
