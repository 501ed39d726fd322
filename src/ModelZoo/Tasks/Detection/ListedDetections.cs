namespace ModelZoo.Tasks;

/// <summary>Reads detectors whose graph already lists its detections as parallel tensors: four box coordinates,
/// a class id and a score per detection.</summary>
internal static class ListedDetections
{
    /// <summary>The first <paramref name="count"/> detections scoring at least <paramref name="scoreThreshold"/>; boxes are
    /// x1, y1, x2, y2, or y1, x1, y2, x2 when <paramref name="yFirst"/>, multiplied by (<paramref name="scaleX"/>,
    /// <paramref name="scaleY"/>), and class ids are rounded to whole numbers.</summary>
    public static List<CandidateBox> Collect(float[] boxes, float[] classes, float[] scores, int count, float scoreThreshold,
        bool yFirst, float scaleX, float scaleY)
    {
        var (x, y) = yFirst ? (1, 0) : (0, 1);
        var result = new List<CandidateBox>();
        for (var i = 0; i < count; i++)
        {
            if (scores[i] < scoreThreshold)
            {
                continue;
            }
            var box = boxes.AsSpan(4 * i, 4);
            result.Add(new CandidateBox(box[x] * scaleX, box[y] * scaleY, box[x + 2] * scaleX, box[y + 2] * scaleY,
                (int)MathF.Round(classes[i]), scores[i]));
        }
        return result;
    }

    /// <summary>True for a tensor that can hold class ids: integers, or floats that are all whole and not negative.</summary>
    public static bool IsClassIds(NamedTensor tensor) =>
        tensor.Data is long[] or int[] || ModelOutputs.Floats(tensor).All(v => v == MathF.Round(v) && v >= 0);
}
