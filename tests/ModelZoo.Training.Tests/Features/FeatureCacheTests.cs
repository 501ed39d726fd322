using ModelZoo.Catalog;
using ModelZoo.Training.Data;
using ModelZoo.Training.Features;
using ModelZoo.Training.Tests.Data;

namespace ModelZoo.Training.Tests.Features;

public sealed class FeatureCacheTests
{
    private static readonly FeatureKey Key = new(
        FeatureKeys.Backbone(new string('a', 64), "pool5", null),
        FeatureKeys.Preprocessing(new InputSpec { Width = 224, Height = 224 }),
        FeatureKeys.Content("image bytes"u8),
        AugmentationView.Identity.Key);

    private static float[] Vector(int n) => Enumerable.Range(0, n).Select(i => MathF.Sin(i) * 3f).ToArray();

    [Fact]
    public void A_stored_vector_reads_back_bit_identical_and_counts_a_hit()
    {
        using var temp = new TempFolder();
        var cache = new FeatureCache(temp.Path);
        var vector = Vector(512);
        Assert.False(cache.TryGet(Key, out _));
        cache.Put(Key, vector);
        Assert.True(cache.TryGet(Key, out var read));
        Assert.Equal(vector, read);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(0, cache.Corrupt);
        Assert.True(File.Exists(Path.Combine(temp.Path, "CACHEDIR.TAG")));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_short_entry_is_a_miss_and_the_next_put_replaces_it()
    {
        using var temp = new TempFolder();
        var cache = new FeatureCache(temp.Path);
        cache.Put(Key, Vector(512));
        var path = cache.PathOf(Key);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        Assert.False(cache.TryGet(Key, out _));
        Assert.Equal(1, cache.Corrupt);
        cache.Put(Key, Vector(512));
        Assert.True(cache.TryGet(Key, out var read));
        Assert.Equal(Vector(512), read);
    }

    [Fact]
    public void A_flipped_byte_in_the_payload_is_detected()
    {
        using var temp = new TempFolder();
        var cache = new FeatureCache(temp.Path);
        cache.Put(Key, Vector(64));
        var path = cache.PathOf(Key);
        var bytes = File.ReadAllBytes(path);
        bytes[100] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.False(cache.TryGet(Key, out _));
        Assert.Equal(1, cache.Corrupt);
    }

    [Fact]
    public void An_entry_copied_under_another_key_is_rejected()
    {
        using var temp = new TempFolder();
        var cache = new FeatureCache(temp.Path);
        var other = Key with { View = "f1-s0.8-a1-x0.5-y0.5-r0-b1-c1-t1" };
        cache.Put(Key, Vector(64));
        Directory.CreateDirectory(Path.GetDirectoryName(cache.PathOf(other))!);
        File.Copy(cache.PathOf(Key), cache.PathOf(other));
        Assert.False(cache.TryGet(other, out _));
        Assert.Equal(1, cache.Corrupt);
    }

    [Fact]
    public void Every_key_part_changes_the_entry()
    {
        var keys = new[]
        {
            Key,
            Key with { Backbone = FeatureKeys.Backbone(new string('a', 64), "pool4", null) },
            Key with { Backbone = FeatureKeys.Backbone(new string('a', 64), "pool5", new string('b', 64)) },
            Key with { Preprocessing = FeatureKeys.Preprocessing(new InputSpec { Width = 224, Height = 224, Mean = [0.5f, 0.5f, 0.5f] }) },
            Key with { Image = FeatureKeys.Content("other bytes"u8) },
            Key with { View = AugmentationView.Plan(AugmentationLevel.Light, 1, 0, "x")[0].Key },
        };
        Assert.Equal(keys.Length, keys.Select(k => k.Digest).Distinct().Count());
    }
}
