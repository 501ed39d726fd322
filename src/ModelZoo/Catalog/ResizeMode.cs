namespace ModelZoo.Catalog;

/// <summary>How an image is brought to the model's input size.</summary>
[CatalogNames]
public enum ResizeMode
{
    /// <summary>Scale each axis independently to the target size; aspect ratio is not kept.</summary>
    Stretch,
    /// <summary>Scale the shorter side (to <see cref="InputSpec.ResizeShorterSide"/> or the target), then cut the centre.</summary>
    CenterCrop,
    /// <summary>Scale to fit inside the target keeping aspect ratio, pad the rest with <see cref="InputSpec.PadValue"/>.</summary>
    Letterbox,
    /// <summary>Scale to the target height keeping aspect ratio (width rounded up, at most the target width), place the
    /// result at the left edge and pad the right with <see cref="InputSpec.PadValue"/>: PaddleOCR's text-line input.
    /// A pipeline may widen the target per batch for models whose width is dynamic.</summary>
    PadRight,
    /// <summary>Dynamic input size: scale down (never up) so the image fits inside the target keeping aspect ratio, then
    /// round each side to a multiple of <see cref="InputSpec.SizeMultiple"/> and stretch to that size (PaddleOCR's DB
    /// detector input). Resolve the per-image size with <c>ImagePreprocessor.ForImage</c> before writing a tensor.</summary>
    LimitSide,
}
