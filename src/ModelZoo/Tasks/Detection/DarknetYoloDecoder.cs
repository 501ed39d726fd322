namespace ModelZoo.Tasks;

/// <summary>
/// YOLOv3 heads of a model imported from Darknet (<c>yolo_N</c>, see <see cref="DarknetHeads"/>), decoded as
/// libdarknet's <c>get_yolo_box</c> does: centre = (cell + x) / grid, size = exp(w or h) × anchor, where the anchors are
/// in network-input pixels; score = objectness × class probability (logistic, so several classes may pass).
/// </summary>
internal sealed class DarknetYoloDecoder : IDetectionDecoder
{
    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var result = new List<CandidateBox>();
        foreach (var head in DarknetHeads.Find(outputs, "yolo", classCount))
        {
            DarknetHeads.Decode(head, outputs.InputWidth, outputs.InputHeight, scoreThreshold, result,
                (tw, th, aw, ah) => (MathF.Exp(tw) * aw, MathF.Exp(th) * ah));
        }
        return result;
    }
}
