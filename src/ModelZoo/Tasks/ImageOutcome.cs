namespace ModelZoo.Tasks;

/// <summary>The result of one image in a batch run: a value, or the error that kept the image out.</summary>
/// <typeparam name="T">Task-specific result type.</typeparam>
/// <param name="Path">The image's path as given.</param>
/// <param name="Value">The result, null when <paramref name="Error"/> is set.</param>
/// <param name="Width">The image's width in pixels (after EXIF orientation), also when it was decoded smaller.</param>
/// <param name="Height">The image's height in pixels.</param>
/// <param name="Transform">Maps model-input coordinates back to the original image.</param>
/// <param name="Error">Why the image could not be processed.</param>
public sealed record ImageOutcome<T>(string Path, T? Value, int Width, int Height, ImageTransform Transform, ZooException? Error)
{
    /// <summary>True when the image was processed.</summary>
    public bool Succeeded => Error is null;
}
