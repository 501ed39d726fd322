namespace ModelZoo.Tasks.Ocr;

/// <summary>Thresholds and limits of the <see cref="TextSpotter"/> pipeline; the defaults are PaddleOCR's inference defaults.</summary>
public sealed record TextSpotterOptions
{
    /// <summary>ONNX Runtime session settings used for all three models.</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Decoder limits for image files.</summary>
    public ImageDecodeOptions? Decode { get; init; }

    /// <summary>Whether images smaller than the detector's size limit are scaled up to it (their long side to the limit,
    /// PaddleOCR's <c>resize_long</c>) instead of being detected at their own size (<c>limit_type max</c>, the default).
    /// Off by default: on the real-page benchmark it leaves the character error rate unchanged (small page photos lose
    /// their lines to the box score, not to their size), and on small sign photos the boxes it draws read slightly
    /// worse.</summary>
    public bool UpscaleSmallImages { get; init; }

    /// <summary>The largest factor <see cref="UpscaleSmallImages"/> scales an image by.</summary>
    public double MaxDetectorUpscale { get; init; } = 4;

    /// <summary>A pixel of the detector's probability map counts as text above this value.</summary>
    public float BinaryThreshold { get; init; } = 0.3f;

    /// <summary>A candidate box is kept when the mean probability inside it is at least this.</summary>
    public float BoxThreshold { get; init; } = 0.6f;

    /// <summary>How a candidate region is scored against <see cref="BoxThreshold"/>. <see cref="DbScoreMode.Slow"/>
    /// (over the region itself) keeps the curved lines of a photographed book page that the rectangle score of
    /// PaddleOCR's default <c>fast</c> mode drops.</summary>
    public DbScoreMode ScoreMode { get; init; } = DbScoreMode.Slow;

    /// <summary>How far a shrunk text kernel is grown back: offset distance = area × ratio / perimeter.</summary>
    public float UnclipRatio { get; init; } = 1.5f;

    /// <summary>Candidates whose shorter side is below this many map pixels are dropped.</summary>
    public int MinBoxSize { get; init; } = 3;

    /// <summary>At most this many connected regions of the map are turned into boxes.</summary>
    public int MaxCandidates { get; init; } = 1000;

    /// <summary>Whether the 0°/180° classifier runs (when the pipeline has one).</summary>
    public bool UseDirectionClassifier { get; init; } = true;

    /// <summary>A line is turned upside down when the classifier gives 180° at least this probability.</summary>
    public float DirectionThreshold { get; init; } = 0.9f;

    /// <summary>Lines whose confidence is below this are dropped (PaddleOCR's drop_score).</summary>
    public float MinLineConfidence { get; init; } = 0.5f;

    /// <summary>Line crops recognised per inference call (crops of similar width are batched together).</summary>
    public int RecognitionBatchSize { get; init; } = 6;

    /// <summary>Widest recogniser input in pixels; longer lines are squeezed to fit.</summary>
    public int MaxLineWidth { get; init; } = 1920;
}
