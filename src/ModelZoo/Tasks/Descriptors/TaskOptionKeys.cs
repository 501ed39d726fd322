namespace ModelZoo.Tasks;

/// <summary>The neutral option names every host uses for the same knob (the server's query keys, a batch job's
/// option map); <see cref="TaskDescriptor{TResult, TOptions}.ParseOptions"/> reads them from a
/// <see cref="TaskOptionValues"/>. A task ignores the keys that do not apply to it.</summary>
public static class TaskOptionKeys
{
    /// <summary>Results scoring below this (0–1) are left out; for segmentation, the probability a pixel needs to be
    /// in a mask.</summary>
    public const string MinScore = "min_score";

    /// <summary>How many results (classes, boxes, poses, faces) to return at most (1 or more).</summary>
    public const string Top = "top";

    /// <summary>Face detection: whether the face-attribute models opened with the detector run on each face (true/false).</summary>
    public const string FaceAttributes = "face_attributes";
}
