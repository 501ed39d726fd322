using ModelZoo.Imaging;

namespace ModelZoo.Tasks;

/// <summary>A file the loop decoded and prepared on a worker; the loop disposes the image once its result is out.</summary>
internal sealed record LoadedImage<TPrepared>(string Path, RgbImage Image, TPrepared Prepared);
