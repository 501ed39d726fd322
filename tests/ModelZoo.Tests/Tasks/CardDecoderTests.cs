using ModelZoo.Catalog;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// Every built-in card of a task with a decoder pipeline names a decoder that pipeline has, apart from the listed
/// known exceptions: internet-only ONNX cards whose decoders are not written yet (listed for download, not run).
/// </summary>
public sealed class CardDecoderTests
{
    // Every registered task with a decoder table, so a new task's cards are checked without editing this file.
    private static readonly Dictionary<ModelTask, IReadOnlyList<string>> DecodersByTask = new(TaskRegistry.Default.All
        .Where(d => d.Decoders is not null)
        .Select(d => KeyValuePair.Create(d.Task, d.Decoders!))
        .Append(KeyValuePair.Create(ModelTask.FaceAttributes, FaceAttributes.DecoderTable.Names)));

    /// <summary>
    /// Decoders named by built-in cards that no pipeline has yet: <c>retinanet</c> (anchor generation over five FPN
    /// levels plus box-delta decoding), <c>mask-rcnn</c> (per-box 28×28 masks pasted into their boxes) and
    /// <c>ycbcr-y-upscale</c> (the ONNX zoo's sub-pixel CNN upscales the Y channel of YCbCr only).
    /// </summary>
    private static readonly Dictionary<string, ModelTask> KnownMissing = new()
    {
        ["retinanet"] = ModelTask.ObjectDetection,
        ["mask-rcnn"] = ModelTask.ImageSegmentation,
        ["ycbcr-y-upscale"] = ModelTask.SuperResolution,
    };

    /// <summary>Cards that name no decoder at all (none today: the ArcFace embedding, once filed as face-attributes, is a
    /// face-embedding card with decoder <c>embedding</c>).</summary>
    private static readonly HashSet<string> KnownWithoutDecoder = [];

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
        var decoder = card.Output?.Decoder;
        if (decoder is null && KnownWithoutDecoder.Contains(handle))
        {
            return;
        }
        if (decoder is not null && KnownMissing.TryGetValue(decoder, out var task) && task == card.Task)
        {
            return;
        }
        Assert.True(decoder is not null && names.Contains(decoder),
            $"{handle} ({card.Task}) names output decoder '{decoder}'; the pipeline has {string.Join(", ", names)}");
    }

    [Fact]
    public void Known_missing_decoders_are_still_missing_and_still_used()
    {
        var cards = ModelCatalog.LoadBuiltin().Cards;
        foreach (var (decoder, task) in KnownMissing)
        {
            Assert.False(DecodersByTask[task].Contains(decoder), $"'{decoder}' is registered now; remove it from KnownMissing.");
            Assert.Contains(cards, c => c.Task == task && c.Output?.Decoder == decoder);
        }
        foreach (var handle in KnownWithoutDecoder)
        {
            Assert.Null(cards.Single(c => c.Handle == handle).Output?.Decoder);
        }
    }
}
