namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Differentiable Binarization post-processing (Liao et al., as PaddleOCR's <c>DBPostProcess</c> does it): threshold the
/// probability map, take each 8-connected region, fit its minimum-area rectangle, keep it when the mean probability
/// inside is high enough, grow it back by the unclip distance (area × ratio / perimeter) and scale it to the image.
/// </summary>
/// <remarks>
/// PaddleOCR grows the box with a round-joined polygon offset (pyclipper) and refits a minimum-area rectangle. The
/// offset of a rectangle by d with round joins is the rectangle grown by d on every side with rounded corners, whose
/// minimum-area rectangle is exactly the rectangle grown by d, so no polygon clipper is needed for the same result.
/// Regions are traced as connected components rather than contours: the convex hull, and so the rectangle, of a
/// region's outer contour and of its pixels are the same, and holes (which OpenCV's contour listing also returns) are
/// not candidates here.
/// </remarks>
internal static class DbPostProcessor
{
    /// <summary>Detected boxes in image pixels, each with its mean map score, in no particular order.</summary>
    /// <param name="map">Probability map, <paramref name="mapWidth"/> × <paramref name="mapHeight"/>, row-major.</param>
    /// <param name="mapWidth">Width of the map.</param>
    /// <param name="mapHeight">Height of the map.</param>
    /// <param name="imageWidth">Width of the original image the boxes are scaled to.</param>
    /// <param name="imageHeight">Height of the original image.</param>
    /// <param name="options">Thresholds.</param>
    public static List<(RotatedRect Box, float Score)> Decode(ReadOnlySpan<float> map, int mapWidth, int mapHeight,
        int imageWidth, int imageHeight, TextSpotterOptions options)
    {
        var results = new List<(RotatedRect, float)>();
        var labels = new int[mapWidth * mapHeight];
        var stack = new Stack<int>();
        var candidates = 0;
        for (var start = 0; start < labels.Length && candidates < options.MaxCandidates; start++)
        {
            if (labels[start] != 0 || !(map[start] > options.BinaryThreshold))
            {
                continue;
            }
            candidates++;
            var (points, rows) = Region(map, mapWidth, mapHeight, start, candidates, labels, stack, options.BinaryThreshold);
            var hull = ConvexGeometry.Hull(points);
            var rect = ConvexGeometry.MinAreaRect(hull);
            if (rect.ShortSide < options.MinBoxSize)
            {
                continue;
            }
            var score = options.ScoreMode == DbScoreMode.Slow
                ? RegionMean(map, labels, candidates, rows)
                : ConvexGeometry.MeanInside(map, mapWidth, mapHeight, rect.Corners());
            if (score < options.BoxThreshold)
            {
                continue;
            }
            var perimeter = 2 * (rect.Width + rect.Height);
            var grown = rect.Grow(rect.Area * options.UnclipRatio / perimeter);
            if (grown.ShortSide < options.MinBoxSize + 2)
            {
                continue;
            }
            var scaled = Scale(grown, (double)imageWidth / mapWidth, (double)imageHeight / mapHeight);
            results.Add((scaled, score));
        }
        return results;
    }

    /// <summary>Mean probability over the pixels of one labelled region, visiting only the rows it spans.</summary>
    private static float RegionMean(ReadOnlySpan<float> map, int[] labels, int label, (int Width, int First, int Last) rows)
    {
        double sum = 0;
        var n = 0;
        var end = Math.Min(labels.Length, (rows.Last + 1) * rows.Width);
        for (var i = rows.First * rows.Width; i < end; i++)
        {
            if (labels[i] == label)
            {
                sum += map[i];
                n++;
            }
        }
        return n == 0 ? 0 : (float)(sum / n);
    }

    /// <summary>Flood-fills one region and returns, per row, its leftmost and rightmost pixel (enough for the hull), and
    /// the rows it spans.</summary>
    private static (List<(int X, int Y)> Points, (int Width, int First, int Last) Rows) Region(ReadOnlySpan<float> map, int width, int height, int start, int label,
        int[] labels, Stack<int> stack, float threshold)
    {
        var minX = new Dictionary<int, int>();
        var maxX = new Dictionary<int, int>();
        labels[start] = label;
        stack.Push(start);
        while (stack.Count > 0)
        {
            var index = stack.Pop();
            int x = index % width, y = index / width;
            minX[y] = minX.TryGetValue(y, out var lo) ? Math.Min(lo, x) : x;
            maxX[y] = maxX.TryGetValue(y, out var hi) ? Math.Max(hi, x) : x;
            for (var dy = -1; dy <= 1; dy++)
            {
                var ny = y + dy;
                if ((uint)ny >= (uint)height) continue;
                for (var dx = -1; dx <= 1; dx++)
                {
                    var nx = x + dx;
                    if ((uint)nx >= (uint)width) continue;
                    var n = ny * width + nx;
                    if (labels[n] == 0 && map[n] > threshold)
                    {
                        labels[n] = label;
                        stack.Push(n);
                    }
                }
            }
        }
        var points = new List<(int X, int Y)>(2 * minX.Count);
        foreach (var (y, x) in minX)
        {
            points.Add((x, y));
            if (maxX[y] != x) points.Add((maxX[y], y));
        }
        return (points, (width, minX.Keys.Min(), minX.Keys.Max()));
    }

    /// <summary>Scales a rectangle by different factors along x and y. A rotated rectangle stays a rectangle only when
    /// the factors match (they nearly do: the map keeps the image's aspect up to rounding to 32), so the result is the
    /// rectangle with the scaled corners' centre, side lengths and direction.</summary>
    private static RotatedRect Scale(RotatedRect r, double sx, double sy)
    {
        double ax = r.AxisX * sx, ay = r.AxisY * sy;
        var axisLength = Math.Sqrt(ax * ax + ay * ay);
        double bx = -r.AxisY * sx, by = r.AxisX * sy;
        var crossLength = Math.Sqrt(bx * bx + by * by);
        return new RotatedRect(r.CenterX * sx, r.CenterY * sy, r.Width * axisLength, r.Height * crossLength, ax / axisLength, ay / axisLength);
    }
}
