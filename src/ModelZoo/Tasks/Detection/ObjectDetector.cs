namespace ModelZoo.Tasks;

/// <summary>
/// Finds labelled boxes with an <see cref="ModelTask.ObjectDetection"/> model: preprocessing from the card
/// (letterbox-aware), the decoder the card names in <c>output.decoder</c> (<c>yolov8</c>, <c>yolov5</c>, <c>yolov4</c>, <c>yolov3-nms</c>, <c>boxes-labels-scores</c>,
/// <c>ssd</c>/<c>tf-od-api</c>, <c>nanodet</c>, <c>centernet</c>), class-aware non-maximum suppression, and
/// boxes mapped back to original-image pixels. Stateless apart from the session: thread-safe.
/// </summary>
public sealed class ObjectDetector : ImageModelPipeline<ObjectDetector, IReadOnlyList<Detection>, DetectionOptions>, IImagePipelineFactory<ObjectDetector>
{
    private readonly IDetectionDecoder _decoder;
    private readonly IReadOnlyList<string>? _labels;
    private readonly int _labelOffset;
    private readonly int? _classCount;

    /// <summary>The object-detection decoders by the names cards use in <c>output.decoder</c>; entries are added here by hand.</summary>
    internal static DecoderRegistry<IDetectionDecoder> DecoderTable { get; } = new("object detection",
    [
        ("yolov8", new YoloV8Decoder()),
        ("yolov11", new YoloV8Decoder()),
        ("yolov5", new YoloV5Decoder()),
        ("ssd", new SsdDecoder()),
        ("tf-od-api", new SsdDecoder()),
        ("nanodet", new NanoDetDecoder()),
        ("centernet", new CenterNetDecoder()),
        ("yolov3-nms", new YoloV3NmsDecoder()),
        ("yolov4", new YoloV4Decoder()),
        ("boxes-labels-scores", new BoxesLabelsScoresDecoder()),
        ("darknet-yolo", new DarknetYoloDecoder()),
        ("darknet-region", new DarknetRegionDecoder()),
    ]);

    private ObjectDetector(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _decoder = DecoderTable.Get(model.Card);
        (_labels, _labelOffset) = TaskGuard.Labels(model);
        _classCount = model.Card.Labels?.Count ?? (_labels is null ? null : _labels.Count + _labelOffset);
    }

    static ModelTask IImagePipelineFactory<ObjectDetector>.PipelineTask => ModelTask.ObjectDetection;

    static void IImagePipelineFactory<ObjectDetector>.CheckCard(ModelCard card) => DecoderTable.Get(card);

    static ObjectDetector IImagePipelineFactory<ObjectDetector>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);


    /// <summary>Objects in one image, best first, boxes in the image's pixels.</summary>
    public IReadOnlyList<Detection> Detect(RgbImage image, DetectionOptions? options = null) => Run(image, options ?? new DetectionOptions());

    private protected override void Validate(DetectionOptions options) => options.Validate();

    private protected override Func<IReadOnlyList<IReadOnlyList<Detection>>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<DetectionOptions> options) =>
        EachImage(batch, options, Runner, Decode);

    private IReadOnlyList<Detection> Decode(ModelOutputs outputs, DetectionOptions options)
    {
        var candidates = _decoder.Decode(outputs, _classCount, options.ScoreThreshold);
        var kept = NonMaxSuppression.Apply(candidates, options.IouThreshold, options.MaxDetections, options.ClassAgnostic);
        var transform = outputs.Transform;
        return kept.Select(c =>
        {
            var (x1, y1) = transform.ClampToSource(c.X1, c.Y1);
            var (x2, y2) = transform.ClampToSource(c.X2, c.Y2);
            return new Detection(TaskGuard.LabelOf(_labels, _labelOffset, c.ClassIndex), c.ClassIndex, c.Score,
                BoundingBox.FromCorners(x1, y1, x2, y2));
        }).ToList();
    }
}
