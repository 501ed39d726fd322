namespace ModelZoo.Tasks;

/// <summary>One facial landmark in original-image pixels.</summary>
/// <param name="Name">Landmark name, e.g. <c>right_eye</c> (from the subject's point of view, as MediaPipe names them).</param>
/// <param name="X">Horizontal position in pixels.</param>
/// <param name="Y">Vertical position in pixels.</param>
public sealed record FaceLandmark(string Name, float X, float Y);
