using ModelZoo.Catalog;

namespace ModelZoo.Tests.Catalog;

public sealed class LabelSetsTests
{
    [Fact]
    public void Imagenet1k_has_1000_names_in_synset_order()
    {
        var names = LabelSets.Builtin("imagenet1k");
        Assert.Equal(1000, names.Count);
        Assert.Equal("tench", names[0]);
        Assert.Equal("Egyptian cat", names[285]);
        Assert.Equal("military uniform", names[652]);
        Assert.Equal("toilet tissue", names[999]);
        Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n)));
        var wnids = LabelSets.Builtin("imagenet1k_wnids");
        Assert.Equal(1000, wnids.Count);
        Assert.Equal("n02124075", wnids[285]);
    }

    [Fact]
    public void Coco80_and_coco91_agree_on_the_category_ids()
    {
        var coco80 = LabelSets.Builtin("coco80");
        var coco91 = LabelSets.Builtin("coco91");
        Assert.Equal(80, coco80.Count);
        Assert.Equal(91, coco91.Count);
        Assert.Equal("person", coco80[0]);
        Assert.Equal("toothbrush", coco80[79]);
        Assert.Equal("background", coco91[0]);
        Assert.Equal("person", coco91[1]);
        Assert.Equal("stop sign", coco91[13]);
        Assert.Equal("toothbrush", coco91[90]);
        int[] gaps = [12, 26, 29, 30, 45, 66, 68, 69, 71, 83];
        Assert.Equal(gaps, Enumerable.Range(1, 90).Where(id => coco91[id] == "N/A"));
        Assert.Equal(coco80, Enumerable.Range(1, 90).Where(id => coco91[id] != "N/A").Select(id => coco91[id]));
    }

    [Fact]
    public void Other_builtin_sets_have_their_published_sizes()
    {
        Assert.Equal(20, LabelSets.Builtin("voc20").Count);
        Assert.Equal("tvmonitor", LabelSets.Builtin("voc20")[19]);
        Assert.Equal(["neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt"], LabelSets.Builtin("ferplus8"));
    }

    [Fact]
    public void Unknown_builtin_set_is_a_usage_error_listing_the_names()
    {
        var error = Assert.Throws<ZooUsageException>(() => LabelSets.Builtin("imagenet21k"));
        Assert.Contains("imagenet1k", error.Message);
    }

    [Fact]
    public void Synset_file_gives_the_first_name_of_each_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zoo-synset-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "n01440764 tench, Tinca tinca\r\nn01443537 goldfish, Carassius auratus\n");
        try
        {
            var labels = LabelSets.Load(new LabelsSpec { Source = "file:synset.txt" }, name => name == "synset.txt" ? path : throw new FileNotFoundException(name));
            Assert.Equal(["tench", "goldfish"], labels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Key_file_keeps_every_line_verbatim()
    {
        // PaddleOCR key files hold punctuation and have no trailing newline.
        var labels = LabelSets.Parse("'\n#\n \n中\n!");
        Assert.Equal(["'", "#", " ", "中", "!"], labels);
    }

    [Fact]
    public void File_labels_without_a_resolver_say_to_pull_the_model()
    {
        var error = Assert.Throws<ZooUsageException>(() => LabelSets.Load(new LabelsSpec { Source = "file:keys.txt" }));
        Assert.Contains("pull", error.Message);
    }
}
