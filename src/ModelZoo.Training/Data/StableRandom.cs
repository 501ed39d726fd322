using System.Text;

namespace ModelZoo.Training.Data;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by this code alone, so splits and
/// augmentation plans stay identical across .NET versions and platforms, unlike
/// <see cref="string.GetHashCode()"/> (randomised per process) or <see cref="Random"/> (implementation-defined).
/// </summary>
internal sealed class StableRandom
{
    private ulong _state;

    public StableRandom(ulong seed) => _state = seed;

    /// <summary>A generator seeded from an integer seed and a text key (e.g. a class name or image path).</summary>
    public static StableRandom For(int seed, string key) => new(Mix((ulong)(uint)seed, Hash(key)));

    /// <summary>FNV-1a over the UTF-8 bytes: stable across processes.</summary>
    public static ulong Hash(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= 1099511628211UL;
        }

        return h;
    }

    private static ulong Mix(ulong a, ulong b)
    {
        var r = new StableRandom(a ^ (b * 0x9E3779B97F4A7C15UL));
        return r.NextUInt64();
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
