namespace ModelZoo.Tasks.Ocr;

/// <summary>A rectangle at any angle: centre, side lengths along its own axes and the unit direction of its first axis.</summary>
internal readonly record struct RotatedRect(double CenterX, double CenterY, double Width, double Height, double AxisX, double AxisY)
{
    /// <summary>Length of the shorter side.</summary>
    public double ShortSide => Math.Min(Width, Height);

    public double Area => Width * Height;

    /// <summary>The same rectangle with every side pushed out by <paramref name="distance"/>.</summary>
    public RotatedRect Grow(double distance) => this with { Width = Width + 2 * distance, Height = Height + 2 * distance };

    /// <summary>
    /// Corners ordered as PaddleOCR orders them: of the two leftmost corners the upper one first, then of the two
    /// rightmost the upper one, the lower right, and the lower left (top-left, top-right, bottom-right, bottom-left for a
    /// line of upright text).
    /// </summary>
    public (double X, double Y)[] Corners()
    {
        double hw = Width / 2, hh = Height / 2;
        double ux = AxisX * hw, uy = AxisY * hw, vx = -AxisY * hh, vy = AxisX * hh;
        var pts = new (double X, double Y)[]
        {
            (CenterX - ux - vx, CenterY - uy - vy), (CenterX + ux - vx, CenterY + uy - vy),
            (CenterX + ux + vx, CenterY + uy + vy), (CenterX - ux + vx, CenterY - uy + vy),
        };
        Array.Sort(pts, (a, b) => a.X.CompareTo(b.X));
        var (tl, bl) = pts[1].Y > pts[0].Y ? (pts[0], pts[1]) : (pts[1], pts[0]);
        var (tr, br) = pts[3].Y > pts[2].Y ? (pts[2], pts[3]) : (pts[3], pts[2]);
        return [tl, tr, br, bl];
    }
}
