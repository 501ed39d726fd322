using ModelZoo.Catalog;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Tasks;

/// <summary>Every built-in card of a decoded vision task names a decoder its task pipeline has.</summary>
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
        foreach (var card in ModelCatalog.LoadBuiltin().Cards.Where(c => DecodersByTask.ContainsKey(c.Task)))
        {
            data.Add(card.Handle);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DecodedHandles))]
    public void Card_names_a_decoder_of_its_task(string handle)
    {
        var card = ModelCatalog.LoadBuiltin().Get(handle);
        var names = DecodersByTask[card.Task];
        Assert.True(card.Output?.Decoder is { } decoder && names.Contains(decoder),
            $"{handle} ({card.Task}) names output decoder '{card.Output?.Decoder}'; the pipeline has {string.Join(", ", names)}");
    }
}
