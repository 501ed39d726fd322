namespace ModelZoo.Tasks;

/// <summary>A decoded face before suppression: corners and landmarks (x, y pairs) in model-input pixels.</summary>
internal sealed record FaceCandidate(float X1, float Y1, float X2, float Y2, float Score, float[] Landmarks, IReadOnlyList<string> LandmarkNames)
{
    public BoundingBox Box => BoundingBox.FromCorners(X1, Y1, X2, Y2);
}
