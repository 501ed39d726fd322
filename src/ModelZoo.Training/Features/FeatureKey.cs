using System.Security.Cryptography;
using System.Text;

namespace ModelZoo.Training.Features;

/// <summary>
/// Identifies one cached feature vector: which backbone produced it, how the image was preprocessed, which
/// image bytes went in and which augmented view of them. Any change to one of the four gives a new entry.
/// </summary>
/// <param name="Backbone">Backbone key (<see cref="FeatureKeys.Backbone"/>): model SHA-256, cut tensor, preprocessing graph SHA-256.</param>
/// <param name="Preprocessing">Preprocessing key (<see cref="FeatureKeys.Preprocessing"/>): hash of the input spec.</param>
/// <param name="Image">SHA-256 of the image file's bytes, lower-case hex.</param>
/// <param name="View">The augmentation view's <see cref="Data.AugmentationView.Key"/> ("identity" for the image as it is).</param>
public sealed record FeatureKey(string Backbone, string Preprocessing, string Image, string View)
{
    /// <summary>SHA-256 (lower-case hex) of all four parts: the entry's file name and the digest stored in it.</summary>
    public string Digest => Convert.ToHexStringLower(DigestBytes());

    internal byte[] DigestBytes() =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"zoo-features-v1\n{Backbone}\n{Preprocessing}\n{Image}\n{View}"));
}
