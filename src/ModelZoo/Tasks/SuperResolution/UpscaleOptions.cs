using ModelZoo.Upscaling;

namespace ModelZoo.Tasks;

/// <summary>How an <see cref="Upscaler"/> tiles an image (see <see cref="TiledUpscaler"/> for the memory bound).</summary>
public sealed record UpscaleOptions
{
    /// <summary>Tile side in input pixels (default 128).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>Context around each tile, cropped after the model ran, in input pixels (default 16).</summary>
    public int Overlap { get; init; } = 16;

    /// <summary>The tiling these options describe.</summary>
    public TilingOptions Tiling => new() { TileSize = TileSize, Overlap = Overlap };

    /// <exception cref="ZooUsageException">A setting is out of range.</exception>
    internal void Validate() => Tiling.Validate();
}
