namespace ModelZoo.Tasks.Ocr;

/// <summary>A 3×3 projective map of the plane (row-major, last element normalised to 1).</summary>
internal readonly struct Projective
{
    private readonly double[] _m;

    private Projective(double[] m) => _m = m;

    public static Projective Identity => new([1, 0, 0, 0, 1, 0, 0, 0, 1]);

    /// <summary>The map taking the corners of a <paramref name="width"/> × <paramref name="height"/> rectangle
    /// (0,0), (w,0), (w,h), (0,h) to the quadrilateral <paramref name="quad"/> (same order).</summary>
    public static Projective RectangleTo(double width, double height, (double X, double Y)[] quad)
    {
        (double X, double Y)[] from = [(0, 0), (width, 0), (width, height), (0, height)];
        // Eight equations in the eight unknowns h0..h7: u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), likewise v.
        var a = new double[8, 9];
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = from[i];
            var (u, v) = quad[i];
            double[] rowU = [x, y, 1, 0, 0, 0, -u * x, -u * y, u];
            double[] rowV = [0, 0, 0, x, y, 1, -v * x, -v * y, v];
            for (var j = 0; j < 9; j++)
            {
                a[2 * i, j] = rowU[j];
                a[2 * i + 1, j] = rowV[j];
            }
        }
        var h = Solve(a);
        return new Projective([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1]);
    }

    /// <summary>Maps a point.</summary>
    public (double X, double Y) Apply(double x, double y)
    {
        var m = _m;
        var w = m[6] * x + m[7] * y + m[8];
        if (Math.Abs(w) < 1e-12) w = 1e-12;
        return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w);
    }

    /// <summary>This map applied after <paramref name="first"/>.</summary>
    public Projective After(Projective first)
    {
        var r = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                r[3 * i + j] = _m[3 * i] * first._m[j] + _m[3 * i + 1] * first._m[3 + j] + _m[3 * i + 2] * first._m[6 + j];
            }
        }
        return new Projective(r);
    }

    /// <summary>An affine map: x' = a x + b y + c, y' = d x + e y + f.</summary>
    public static Projective Affine(double a, double b, double c, double d, double e, double f) => new([a, b, c, d, e, f, 0, 0, 1]);

    private static double[] Solve(double[,] a)
    {
        const int n = 8;
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            }
            if (Math.Abs(a[pivot, col]) < 1e-12)
            {
                return [1, 0, 0, 0, 1, 0, 0, 0]; // degenerate quad: identity keeps the caller going
            }
            if (pivot != col)
            {
                for (var j = 0; j <= n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }
            for (var r = 0; r < n; r++)
            {
                if (r == col) continue;
                var f = a[r, col] / a[col, col];
                if (f == 0) continue;
                for (var j = col; j <= n; j++) a[r, j] -= f * a[col, j];
            }
        }
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = a[i, n] / a[i, i];
        return x;
    }
}
