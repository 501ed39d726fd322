using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ModelZoo.Training.Features;

/// <summary>Builds the parts of a <see cref="FeatureKey"/>.</summary>
public static class FeatureKeys
{
    /// <summary>
    /// Key of a backbone: the SHA-256 of the model file it was cut from, the tensor it was cut at, and the SHA-256
    /// of the preprocessing graph joined in front of it (if any). Lower-case hex.
    /// </summary>
    public static string Backbone(string modelSha256, string cutTensor, string? preprocessSha256 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelSha256);
        ArgumentException.ThrowIfNullOrWhiteSpace(cutTensor);
        return Sha256Hex($"backbone-v1\nmodel={modelSha256.ToLowerInvariant()}\ncut={cutTensor}\npreprocess={preprocessSha256?.ToLowerInvariant() ?? "-"}");
    }

    /// <summary>Key of a preprocessing recipe: the SHA-256 of the input spec as card JSON, and of the decode when
    /// <paramref name="scaledDecode"/> (a JPEG decoded at the smallest DCT scale the resize still shrinks; see
    /// <see cref="Tasks.ImageTaskOptions.ScaledDecode"/>). Lower-case hex; full-size keys are those of earlier versions.</summary>
    public static string Preprocessing(InputSpec spec, bool scaledDecode = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Sha256Hex((scaledDecode ? "input-v1\ndecode=scaled\n" : "input-v1\n") + JsonSerializer.Serialize(spec, ModelCardJson.Options));
    }

    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Content(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
