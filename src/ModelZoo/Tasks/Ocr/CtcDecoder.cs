namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Greedy CTC decoding of a recogniser's per-time-step class probabilities: take the most likely class at each step,
/// collapse repeats, drop the blank (index 0). Class i maps to <c>keys[i - offset]</c>; when the model has one class
/// more than blank + keys, that last class is a space (PaddleOCR's <c>use_space_char</c>).
/// </summary>
internal sealed class CtcDecoder
{
    private readonly IReadOnlyList<string> _keys;
    private readonly int _offset;

    public CtcDecoder(IReadOnlyList<string> keys, int offset)
    {
        _keys = keys;
        _offset = Math.Max(offset, 1);
    }

    /// <summary>One decoded character: its text, probability and the time step it was read at.</summary>
    public readonly record struct Character(string Text, float Probability, int Step);

    /// <summary>Decodes one line from <paramref name="steps"/> × <paramref name="classes"/> probabilities.</summary>
    public List<Character> Decode(ReadOnlySpan<float> probabilities, int steps, int classes)
    {
        var result = new List<Character>();
        var previous = -1;
        for (var t = 0; t < steps; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            var best = 0;
            var bestP = row[0];
            for (var c = 1; c < classes; c++)
            {
                if (row[c] > bestP)
                {
                    bestP = row[c];
                    best = c;
                }
            }
            if (best != 0 && best != previous)
            {
                result.Add(new Character(TextOf(best, classes), bestP, t));
            }
            previous = best;
        }
        return result;
    }

    private string TextOf(int index, int classes)
    {
        var i = index - _offset;
        if (i >= 0 && i < _keys.Count)
        {
            return _keys[i];
        }
        return index == classes - 1 && classes == _offset + _keys.Count + 1 ? " " : "\uFFFD";
    }
}
