namespace ModelZoo.Cli.Infrastructure;

/// <summary>How <c>zoo embed</c> writes feature vectors (<c>--format</c>).</summary>
public enum FeatureFormat
{
    /// <summary>A JSON array of <c>{"image", "vector"}</c> objects.</summary>
    Json,

    /// <summary>CSV rows <c>image,f0,f1,…</c>.</summary>
    Csv,

    /// <summary>A NumPy <c>.npy</c> float32 [N, D] array.</summary>
    Npy,
}
