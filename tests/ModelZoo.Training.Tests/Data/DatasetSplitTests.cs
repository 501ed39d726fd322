using ModelZoo.Training.Data;

namespace ModelZoo.Training.Tests.Data;

public class DatasetSplitTests
{
    private static ImageDataset Dataset(TempFolder t, params (string Class, int Count)[] classes)
    {
        foreach (var (name, count) in classes)
        {
            for (var i = 0; i < count; i++)
            {
                t.File($"{name}/img{i:D3}.jpg");
            }
        }

        return ImageDataset.FromFolder(t.Path);
    }

    [Fact]
    public void Split_is_stratified_per_class()
    {
        using var t = new TempFolder();
        var ds = Dataset(t, ("a", 50), ("b", 10), ("c", 2), ("d", 3));

        var split = ds.Split(0.2, seed: 7);

        int Val(string c) => split.Validation.Count(i => i.Label == c);
        Assert.Equal(10, Val("a"));
        Assert.Equal(2, Val("b"));
        Assert.Equal(1, Val("c")); // at least one, never all
        Assert.Equal(1, Val("d"));
        Assert.Equal(ds.Images.Count, split.Train.Count + split.Validation.Count);
        Assert.Empty(split.Train.Select(i => i.Path).Intersect(split.Validation.Select(i => i.Path)));
        Assert.All(ds.Classes, c => Assert.Contains(split.Train, i => i.Label == c));
    }

    [Fact]
    public void Split_is_deterministic_for_a_seed_and_varies_with_the_seed()
    {
        using var t = new TempFolder();
        var ds = Dataset(t, ("a", 40), ("b", 40));

        var first = ds.Split(0.25, seed: 1).Validation.Select(i => i.Path).ToList();
        var again = ImageDataset.FromFolder(t.Path).Split(0.25, seed: 1).Validation.Select(i => i.Path).ToList();
        var other = ds.Split(0.25, seed: 2).Validation.Select(i => i.Path).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Count, other.Count);
    }

    [Fact]
    public void Split_does_not_depend_on_other_classes()
    {
        using var t1 = new TempFolder();
        using var t2 = new TempFolder();
        var small = Dataset(t1, ("a", 20), ("b", 5));
        var large = Dataset(t2, ("a", 20), ("b", 5), ("c", 30));

        static List<string> ValA(ImageDataset ds, string root) => ds.Split(0.3, 42).Validation
            .Where(i => i.Label == "a").Select(i => Path.GetRelativePath(root, i.Path)).ToList();

        Assert.Equal(ValA(small, t1.Path), ValA(large, t2.Path));
    }

    [Fact]
    public void Split_with_zero_fraction_keeps_everything_for_training_and_rejects_bad_fractions()
    {
        using var t = new TempFolder();
        var ds = Dataset(t, ("a", 3), ("b", 3));

        var split = ds.Split(0, 1);
        Assert.Empty(split.Validation);
        Assert.Equal(6, split.Train.Count);

        Assert.Throws<ZooUsageException>(() => ds.Split(1.0, 1));
        Assert.Throws<ZooUsageException>(() => ds.Split(-0.1, 1));
        Assert.Throws<ZooUsageException>(() => ds.Split(double.NaN, 1));
    }
}
