namespace ModelZoo.Tasks;

/// <summary>The result of upscaling one image.</summary>
/// <param name="Image">The upscaled image, <paramref name="Scale"/> times the input on each side.</param>
/// <param name="Scale">The model's scale factor.</param>
/// <param name="Tiles">How many tiles the model ran on.</param>
/// <param name="SavedPath">Where the PNG was written, once saved; null before.</param>
public sealed record UpscaledImage(RgbImage Image, int Scale, int Tiles, string? SavedPath = null);
