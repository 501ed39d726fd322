namespace ModelZoo.Cli.Infrastructure;

/// <summary>What a model file cannot say about itself, given on the command line for a local model file.</summary>
public sealed record LocalCardOptions
{
    /// <summary>A label file (one name per line, or a synset file), or <c>builtin:NAME</c>.</summary>
    public string? Labels { get; init; }

    /// <summary>Per-channel mean subtracted after scaling to [0,1] (one value or one per channel).</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviation divided by after the mean (one value or one per channel).</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Input side in pixels (or WIDTHxHEIGHT), for graphs whose input size is not fixed.</summary>
    public (int Width, int Height)? Size { get; init; }

    /// <summary>The output decoder, for detection, pose, face and segmentation models.</summary>
    public string? Decoder { get; init; }

    /// <summary>Handle to give the card; null derives <c>local/NAME</c> from the file name.</summary>
    public string? Handle { get; init; }

    /// <summary>The card is a training base, which training cuts below its head itself: class scores as the output
    /// are expected, not worth a note.</summary>
    public bool TrainingBase { get; init; }

    /// <summary>SPDX licence of the weights; null records NOASSERTION.</summary>
    public string? License { get; init; }
}
