namespace ModelZoo.Tasks.Ocr;

/// <summary>How DB post-processing scores a candidate text region before comparing it with the box threshold
/// (PaddleOCR's <c>det_db_score_mode</c>).</summary>
public enum DbScoreMode
{
    /// <summary>Mean probability inside the region's minimum-area rectangle (PaddleOCR's <c>fast</c>). A curved or
    /// wavy line (a page bending near the spine) fills only part of its rectangle and scores low.</summary>
    Fast,

    /// <summary>Mean probability over the region itself (PaddleOCR's <c>slow</c>, the contour's polygon), which does not
    /// depend on the line being straight.</summary>
    Slow,
}
