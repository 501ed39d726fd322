using ModelZoo.Catalog;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// Every built-in TFJS vision card (all meant to run offline through the task pipelines) names a decoder its task's
/// pipeline has. Several internet-only ONNX cards name decoders no pipeline has yet (yolov3-nms, yolov4, retinanet,
/// boxes-labels-scores, mask-rcnn, semantic-argmax): they are listed for download, not yet run by a pipeline.
/// </summary>
public sealed class CardDecoderTests
{
    private static readonly Dictionary<ModelTask, IReadOnlyList<string>> DecodersByTask = new()
    {
        [ModelTask.ObjectDetection] = ObjectDetector.Decoders,
        [ModelTask.PoseEstimation] = PoseEstimator.Decoders,
        [ModelTask.FaceDetection] = FaceDetector.Decoders,
        [ModelTask.FaceAttributes] = FaceAttributes.Decoders,
        [ModelTask.ImageSegmentation] = Segmenter.Decoders,
    };

    public static TheoryData<string> DecodedHandles()
    {
        var data = new TheoryData<string>();
        foreach (var card in ModelCatalog.LoadBuiltin().Cards.Where(c => DecodersByTask.ContainsKey(c.Task) && c.Format == ModelFormat.Tfjs))
        {
            data.Add(card.Handle);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DecodedHandles))]
    public void Tfjs_card_names_a_decoder_of_its_task(string handle)
    {
        var card = ModelCatalog.LoadBuiltin().Get(handle);
        var names = DecodersByTask[card.Task];
        Assert.True(card.Output?.Decoder is { } decoder && names.Contains(decoder),
            $"{handle} ({card.Task}) names output decoder '{card.Output?.Decoder}'; the pipeline has {string.Join(", ", names)}");
    }
}
