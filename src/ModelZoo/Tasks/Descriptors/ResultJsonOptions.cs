namespace ModelZoo.Tasks;

/// <summary>How a task's JSON is written for one host.</summary>
public sealed record ResultJsonOptions
{
    /// <summary>The CLI's <c>--json</c>: files written next to the results are named by path.</summary>
    public static ResultJsonOptions Files { get; } = new();

    /// <summary>A server response: images a result carries (segmentation masks) are embedded as base64 PNG.</summary>
    public static ResultJsonOptions Response { get; } = new() { EmbedImages = true };

    /// <summary>Embed result images (masks) as base64 PNG instead of naming saved files.</summary>
    public bool EmbedImages { get; init; }
}
