using ModelZoo.Imaging;

namespace ModelZoo.Tasks;

/// <summary>The batch call of pipelines that run one image per inference: each image with its own options, in order.</summary>
internal static class BatchCalls
{
    public static IReadOnlyList<TResult> EachImage<TResult, TOptions>(IReadOnlyList<RgbImage> images, IReadOnlyList<TOptions> options,
        Func<RgbImage, TOptions, TResult> run)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (images.Count != options.Count)
        {
            throw new ArgumentException($"{images.Count} images came with {options.Count} options; pass one options record per image.", nameof(options));
        }
        var results = new TResult[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            results[i] = run(images[i], options[i]);
        }
        return results;
    }
}
