namespace ModelZoo.Tasks;

/// <summary>The object-detection decoders by the names cards use in <c>output.decoder</c>.</summary>
internal static class DetectionDecoders
{
    public static DecoderRegistry<IDetectionDecoder> Registry { get; } = new("object detection",
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
}
