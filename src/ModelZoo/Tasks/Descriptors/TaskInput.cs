namespace ModelZoo.Tasks;

/// <summary>What one request to a task carries: the thing a host (the server, a batch worker) reads from a request
/// body before it hands it to the task's pipeline.</summary>
public enum TaskInput
{
    /// <summary>An encoded image (JPEG, PNG, WebP, BMP, GIF), decoded to an <see cref="Imaging.RgbImage"/>.</summary>
    Image,
    /// <summary>UTF-8 text.</summary>
    Text,
}
