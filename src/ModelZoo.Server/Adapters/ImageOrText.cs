namespace ModelZoo.Server.Adapters;

/// <summary>
/// The input of one prediction: a decoded image for image tasks, or a text for text tasks. Exactly one is set.
/// Once handed to the server's batcher the image is owned by it and disposed after the batch that used it.
/// </summary>
public sealed class ImageOrText : IDisposable
{
    private ImageOrText(RgbImage? image, string? text)
    {
        Image = image;
        Text = text;
    }

    /// <summary>The decoded, upright image; null for a text input.</summary>
    public RgbImage? Image { get; }

    /// <summary>The text; null for an image input.</summary>
    public string? Text { get; }

    /// <summary>An image input. The new instance owns <paramref name="image"/>.</summary>
    public static ImageOrText FromImage(RgbImage image) => new(image ?? throw new ArgumentNullException(nameof(image)), null);

    /// <summary>A text input.</summary>
    public static ImageOrText FromText(string text) => new(null, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>The image, or a usage error naming the task that needs one.</summary>
    public RgbImage RequireImage() => Image ?? throw new ZooUsageException("this model takes an image, but a text was sent; send an image body.");

    /// <summary>The text, or a usage error naming the task that needs one.</summary>
    public string RequireText() => Text ?? throw new ZooUsageException("this model takes a text, but an image was sent; send a text body.");

    /// <summary>Returns the image's pooled buffer.</summary>
    public void Dispose() => Image?.Dispose();
}
