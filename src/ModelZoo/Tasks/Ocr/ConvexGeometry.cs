namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Convex hull (Andrew's monotone chain) and minimum-area enclosing rectangle (rotating calipers: the best rectangle
/// has a side on a hull edge). Written here because no pure-managed, cross-platform geometry package is served to this
/// project: OpenCvSharp needs a native OpenCV runtime per platform, and only a Linux x64 one is available.
/// </summary>
internal static class ConvexGeometry
{
    /// <summary>Convex hull of integer points, counter-clockwise in image axes, without collinear points.</summary>
    public static List<(int X, int Y)> Hull(List<(int X, int Y)> points)
    {
        points.Sort((a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        var n = points.Count;
        if (n < 3)
        {
            return [.. points.Distinct()];
        }
        var hull = new (int X, int Y)[2 * n];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0) k--;
            hull[k++] = points[i];
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0) k--;
            hull[k++] = points[i];
        }
        return [.. hull.AsSpan(0, k - 1)];
    }

    /// <summary>Smallest-area rectangle around a convex polygon (given as its hull); zero-size for fewer than two points.</summary>
    public static RotatedRect MinAreaRect(IReadOnlyList<(int X, int Y)> hull)
    {
        if (hull.Count == 0)
        {
            return default;
        }
        if (hull.Count == 1)
        {
            return new RotatedRect(hull[0].X, hull[0].Y, 0, 0, 1, 0);
        }
        var best = default(RotatedRect);
        var bestArea = double.PositiveInfinity;
        for (var i = 0; i < hull.Count; i++)
        {
            var a = hull[i];
            var b = hull[(i + 1) % hull.Count];
            double dx = b.X - a.X, dy = b.Y - a.Y;
            var length = Math.Sqrt(dx * dx + dy * dy);
            if (length == 0)
            {
                continue;
            }
            double ux = dx / length, uy = dy / length;
            double minU = double.PositiveInfinity, maxU = double.NegativeInfinity, minV = double.PositiveInfinity, maxV = double.NegativeInfinity;
            foreach (var p in hull)
            {
                double u = p.X * ux + p.Y * uy, v = -p.X * uy + p.Y * ux;
                minU = Math.Min(minU, u); maxU = Math.Max(maxU, u);
                minV = Math.Min(minV, v); maxV = Math.Max(maxV, v);
            }
            var area = (maxU - minU) * (maxV - minV);
            if (area < bestArea - 1e-9)
            {
                bestArea = area;
                double cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
                // Back from (u, v) axes to image axes: x = u*ux - v*uy, y = u*uy + v*ux.
                best = new RotatedRect(cu * ux - cv * uy, cu * uy + cv * ux, maxU - minU, maxV - minV, ux, uy);
            }
        }
        return best;
    }

    /// <summary>Mean of <paramref name="map"/> over the pixels whose centres lie inside (or within half a pixel of) a convex quadrilateral.</summary>
    public static float MeanInside(ReadOnlySpan<float> map, int width, int height, (double X, double Y)[] quad)
    {
        var minX = Math.Clamp((int)Math.Floor(quad.Min(p => p.X)), 0, width - 1);
        var maxX = Math.Clamp((int)Math.Ceiling(quad.Max(p => p.X)), 0, width - 1);
        var minY = Math.Clamp((int)Math.Floor(quad.Min(p => p.Y)), 0, height - 1);
        var maxY = Math.Clamp((int)Math.Ceiling(quad.Max(p => p.Y)), 0, height - 1);
        // Signed area tells the winding; an inside point is on the inner side of all four edges.
        double orientation = 0;
        for (var i = 0; i < 4; i++)
        {
            var (a, b) = (quad[i], quad[(i + 1) % 4]);
            orientation += a.X * b.Y - b.X * a.Y;
        }
        var sign = orientation >= 0 ? 1.0 : -1.0;
        Span<double> nx = stackalloc double[4], ny = stackalloc double[4], c = stackalloc double[4];
        for (var i = 0; i < 4; i++)
        {
            var (a, b) = (quad[i], quad[(i + 1) % 4]);
            double ex = b.X - a.X, ey = b.Y - a.Y, len = Math.Max(Math.Sqrt(ex * ex + ey * ey), 1e-12);
            // Inward unit normal times the winding sign; distance >= -0.5 admits boundary pixels as a polygon fill does.
            nx[i] = -ey / len * sign;
            ny[i] = ex / len * sign;
            c[i] = -(nx[i] * a.X + ny[i] * a.Y);
        }
        double sum = 0;
        var count = 0;
        for (var y = minY; y <= maxY; y++)
        {
            for (var x = minX; x <= maxX; x++)
            {
                var inside = true;
                for (var i = 0; i < 4 && inside; i++)
                {
                    inside = nx[i] * x + ny[i] * y + c[i] >= -0.5;
                }
                if (inside)
                {
                    sum += map[y * width + x];
                    count++;
                }
            }
        }
        return count == 0 ? 0f : (float)(sum / count);
    }

    private static long Cross((int X, int Y) o, (int X, int Y) a, (int X, int Y) b) =>
        (long)(a.X - o.X) * (b.Y - o.Y) - (long)(a.Y - o.Y) * (b.X - o.X);
}
