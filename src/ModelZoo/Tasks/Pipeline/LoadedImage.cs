namespace ModelZoo.Tasks;

/// <summary>A file the loop decoded and prepared on a worker, with the file's upright size (the image may be decoded
/// smaller); the loop disposes the image once its result is out.</summary>
internal sealed record LoadedImage<TPrepared>(string Path, RgbImage Image, TPrepared Prepared, int SourceWidth, int SourceHeight);
