namespace ModelZoo.Tasks;

/// <summary>
/// Time a pipeline spent in each stage, summed over the images it ran: decoding files, preprocessing (resize,
/// normalise, tensor layout), inference and postprocessing (decoder, suppression, mapping back to the image).
/// A snapshot: later runs do not change it.
/// </summary>
/// <param name="Images">Images counted.</param>
/// <param name="Decode">Decoding image files (zero for images handed in decoded).</param>
/// <param name="Preprocess">Turning images into the model's input tensor.</param>
/// <param name="Inference">The model's session run.</param>
/// <param name="Postprocess">Turning outputs into results.</param>
public sealed record StageTimings(long Images, TimeSpan Decode, TimeSpan Preprocess, TimeSpan Inference, TimeSpan Postprocess)
{
    /// <summary>No images yet.</summary>
    public static StageTimings Zero { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>All four stages together.</summary>
    public TimeSpan Total => Decode + Preprocess + Inference + Postprocess;

    /// <summary>The time spent since <paramref name="earlier"/> (a snapshot of the same pipeline).</summary>
    public StageTimings Since(StageTimings earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(Images - earlier.Images, Decode - earlier.Decode, Preprocess - earlier.Preprocess,
            Inference - earlier.Inference, Postprocess - earlier.Postprocess);
    }
}
