namespace ModelZoo.Tasks;

/// <summary>
/// YOLOv2 region heads of a model imported from Darknet (<c>region_N</c>, see <see cref="DarknetHeads"/>), decoded as
/// libdarknet's <c>get_region_box</c> does: centre = (cell + x) / grid, size = exp(w or h) × anchor / grid, where the
/// anchors are in grid cells; score = objectness × class probability (the region layer's softmax).
/// </summary>
internal sealed class DarknetRegionDecoder : IDetectionDecoder
{
    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var result = new List<CandidateBox>();
        foreach (var head in DarknetHeads.Find(outputs, "region", classCount))
        {
            float cellW = (float)outputs.InputWidth / head.Width, cellH = (float)outputs.InputHeight / head.Height;
            DarknetHeads.Decode(head, outputs.InputWidth, outputs.InputHeight, scoreThreshold, result,
                (tw, th, aw, ah) => (MathF.Exp(tw) * aw * cellW, MathF.Exp(th) * ah * cellH));
        }
        return result;
    }
}
