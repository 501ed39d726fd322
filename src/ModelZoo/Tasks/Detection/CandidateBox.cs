namespace ModelZoo.Tasks;

/// <summary>A decoded box before suppression, corners in model-input pixels; <see cref="ClassIndex"/> is the raw output index.</summary>
internal readonly record struct CandidateBox(float X1, float Y1, float X2, float Y2, int ClassIndex, float Score)
{
    public BoundingBox Box => BoundingBox.FromCorners(X1, Y1, X2, Y2);
}
