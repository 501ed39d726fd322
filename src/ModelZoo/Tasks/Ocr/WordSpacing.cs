namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Puts back the word spaces a CTC recogniser leaves out (PP-OCR's recogniser has a space class but rarely emits it on
/// small or tightly set text). The recogniser places every character it reads at a time step, i.e. at a column of the
/// line crop; between two neighbouring characters the crop shows a run of columns without ink. Inside a word that run
/// is short (often empty, where letters touch); between words it is about a third of an em or more. Each
/// line chooses its own threshold from its own gaps (the two-group split with the largest between-group variance),
/// kept within bounds that follow from how type is set, so it adapts to the font, the resolution and the crop
/// without a pixel constant.
/// </summary>
internal static class WordSpacing
{
    /// <summary>Bounds of the word-gap threshold, in ems (estimated per line, see <see cref="Restore"/>). Proportional
    /// fonts set a word space at 0.25–0.33 em, which with the side bearings leaves 0.25–0.45 em of blank; letters
    /// inside a word leave 0–0.2 em. Monospaced fonts leave a whole cell (0.6 em) or more at a space and up to a third of
    /// an em between narrow letters, which is why the line's own split may lie as high as the upper bound.</summary>
    internal const double MinSpace = 0.2, MaxSpace = 0.45;

    /// <summary>On a line with spaces the recogniser marked, an unmarked gap is a space when it is at least this fraction
    /// of the narrowest marked one (word spaces on one line vary by a pixel or two of justification and rounding).</summary>
    internal const double MarkedFraction = 0.7;

    /// <summary>The characters with a space inserted wherever the crop shows a word gap the recogniser did not mark.</summary>
    /// <param name="characters">Decoded characters in reading order with their time steps.</param>
    /// <param name="crop">The line crop the recogniser read.</param>
    /// <param name="cropPerStep">Crop columns per recogniser time step.</param>
    public static List<CtcDecoder.Character> Restore(List<CtcDecoder.Character> characters, RgbImage crop, double cropPerStep)
    {
        if (characters.Count < 3)
        {
            return characters;
        }
        var blank = BlankColumns(crop);
        var centres = characters.Select(c => Math.Clamp((c.Step + 0.5) * cropPerStep, 0, crop.Width - 1)).ToArray();
        // Gaps are measured in ems, not pixels or character positions: the distance between neighbouring characters
        // depends on which letters the line holds (runs of i, l and t, or capitals). A detected line is about an em
        // high, less when it has no descenders (a tight sign box), so the characters read give a second estimate:
        // each neighbour distance divided by the two characters' typical advance.
        var ems = new List<double>();
        for (var i = 0; i + 1 < characters.Count; i++)
        {
            if (characters[i].Text != " " && characters[i + 1].Text != " ")
            {
                ems.Add((centres[i + 1] - centres[i]) / ((Advance(characters[i].Text) + Advance(characters[i + 1].Text)) / 2));
            }
        }
        ems.Sort();
        var em = Math.Max(crop.Height, ems.Count == 0 ? 0 : ems[ems.Count / 2]);
        var widths = new double[characters.Count - 1];
        var unmarked = new List<double>();
        for (var i = 0; i + 1 < characters.Count; i++)
        {
            if (characters[i].Text != " " && characters[i + 1].Text != " ")
            {
                widths[i] = WidestRun(blank, centres[i], centres[i + 1]) / em;
                unmarked.Add(widths[i]);
            }
        }
        // Where the recogniser did mark spaces, they show what a word gap looks like on this line; an unmarked gap
        // must come close to the narrowest of them. Short sign lines in monospaced or bold type have letter gaps as wide
        // as a proportional word space, and this keeps them joined.
        var marked = double.PositiveInfinity;
        for (var i = 1; i + 1 < characters.Count; i++)
        {
            if (characters[i].Text == " " && characters[i - 1].Text != " " && characters[i + 1].Text != " ")
            {
                marked = Math.Min(marked, WidestRun(blank, centres[i - 1], centres[i + 1]) / em);
            }
        }
        var cut = double.IsPositiveInfinity(marked)
            ? Math.Clamp(SplitPoint(unmarked), MinSpace, MaxSpace)
            : Math.Max(MinSpace, MarkedFraction * marked);
        var result = new List<CtcDecoder.Character>(characters.Count + 8) { characters[0] };
        for (var i = 1; i < characters.Count; i++)
        {
            var before = characters[i - 1];
            var current = characters[i];
            if (before.Text != " " && current.Text != " " && widths[i - 1] > cut)
            {
                result.Add(new CtcDecoder.Character(" ", Math.Min(before.Probability, current.Probability), before.Step));
            }
            result.Add(current);
        }
        return result;
    }

    /// <summary>Typical advance width of a character in ems (Latin text faces: narrow letters and punctuation about
    /// 0.3, lowercase 0.5, capitals and digits 0.65, m and w 0.85); other scripts count as 0.5 and only matter through
    /// the median.</summary>
    private static double Advance(string text)
    {
        if (text.Length != 1)
        {
            return 0.5;
        }
        var c = text[0];
        return c switch
        {
            'i' or 'l' or 'j' or 't' or 'f' or 'r' or 'I' or '.' or ',' or ':' or ';' or '\'' or '!' or '|' or '(' or ')' or '[' or ']' or '"' or '`' => 0.3,
            'm' or 'w' or 'M' or 'W' => 0.85,
            >= 'A' and <= 'Z' or >= '0' and <= '9' => 0.65,
            _ => 0.5,
        };
    }

    /// <summary>The threshold that best separates the values into two groups (Otsu's criterion: the largest
    /// between-group variance), or <see cref="MinSpace"/> when there are too few to split.</summary>
    private static double SplitPoint(List<double> values)
    {
        if (values.Count < 2)
        {
            return MinSpace;
        }
        var sorted = values.Order().ToArray();
        var total = sorted.Sum();
        double below = 0, best = -1, cut = MinSpace;
        for (var k = 1; k < sorted.Length; k++)
        {
            below += sorted[k - 1];
            if (sorted[k] == sorted[k - 1]) continue;
            double n0 = k, n1 = sorted.Length - k;
            var m0 = below / n0;
            var m1 = (total - below) / n1;
            var between = n0 * n1 * (m1 - m0) * (m1 - m0);
            if (between > best)
            {
                best = between;
                cut = (sorted[k - 1] + sorted[k]) / 2;
            }
        }
        return cut;
    }

    /// <summary>The longest stretch of blank columns between the two character positions (a run is cut at the
    /// positions, so a gap the recogniser placed a character inside is split between its neighbours rather than given
    /// whole to one pair).</summary>
    private static int WidestRun(bool[] blank, double from, double to)
    {
        var widest = 0;
        var run = 0;
        var end = Math.Min(blank.Length - 1, (int)Math.Floor(to));
        for (var x = Math.Max(0, (int)Math.Ceiling(from)); x <= end; x++)
        {
            run = blank[x] ? run + 1 : 0;
            widest = Math.Max(widest, run);
        }
        return widest;
    }

    /// <summary>Columns of the crop with no ink in its middle rows. Ink is the minority side of an Otsu threshold of the
    /// grey levels, so dark-on-light and light-on-dark lines both work.</summary>
    private static bool[] BlankColumns(RgbImage crop)
    {
        int w = crop.Width, h = crop.Height;
        var pixels = crop.Pixels;
        var grey = new byte[w * h];
        var histogram = new int[256];
        for (var i = 0; i < grey.Length; i++)
        {
            var g = (byte)((pixels[3 * i] * 299 + pixels[3 * i + 1] * 587 + pixels[3 * i + 2] * 114 + 500) / 1000);
            grey[i] = g;
            histogram[g]++;
        }
        var threshold = Otsu(histogram, grey.Length);
        var below = 0;
        for (var g = 0; g <= threshold; g++)
        {
            below += histogram[g];
        }
        var darkInk = below <= grey.Length - below;
        // The crop's outer rows can hold the ascenders and descenders of the lines above and below.
        int top = h / 12, bottom = h - h / 12;
        var blank = new bool[w];
        for (var x = 0; x < w; x++)
        {
            var ink = false;
            for (var y = top; y < bottom && !ink; y++)
            {
                var g = grey[y * w + x];
                ink = darkInk ? g <= threshold : g > threshold;
            }
            blank[x] = !ink;
        }
        return blank;
    }

    private static int Otsu(int[] histogram, int total)
    {
        double sum = 0;
        for (var i = 0; i < 256; i++)
        {
            sum += i * (double)histogram[i];
        }
        double sumBelow = 0, best = -1;
        int weightBelow = 0, threshold = 127;
        for (var t = 0; t < 256; t++)
        {
            weightBelow += histogram[t];
            if (weightBelow == 0) continue;
            var weightAbove = total - weightBelow;
            if (weightAbove == 0) break;
            sumBelow += t * (double)histogram[t];
            var meanBelow = sumBelow / weightBelow;
            var meanAbove = (sum - sumBelow) / weightAbove;
            var between = (double)weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }
        return threshold;
    }
}
