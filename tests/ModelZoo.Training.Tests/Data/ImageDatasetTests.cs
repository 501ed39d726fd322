using ModelZoo.Training.Data;

namespace ModelZoo.Training.Tests.Data;

public class ImageDatasetTests
{
    [Fact]
    public void FromFolder_reads_class_folders_sorted_and_skips_hidden_and_non_image_files()
    {
        using var t = new TempFolder();
        t.File("dogs/a.jpg");
        t.File("dogs/B.JPEG");
        t.File("dogs/nested/deeper/c.png");
        t.File("dogs/.hidden.jpg");
        t.File("dogs/.thumbs/d.jpg");
        t.File("dogs/notes.txt");
        t.File("dogs/model.onnx");
        t.File("cats/x.Webp");
        t.File("cats/y.bmp");
        t.File("cats/z.gif");
        t.File("Zebras/1.jpg");
        t.File("Zebras/2.jpg");
        t.File(".git/objects/3.jpg");
        t.File("stray.jpg");

        var ds = ImageDataset.FromFolder(t.Path);

        Assert.Equal(["Zebras", "cats", "dogs"], ds.Classes); // ordinal: upper case first
        var dogs = ds.Images.Where(i => i.Label == "dogs").Select(i => Path.GetRelativePath(t.Path, i.Path).Replace('\\', '/')).ToList();
        Assert.Equal(["dogs/B.JPEG", "dogs/a.jpg", "dogs/nested/deeper/c.png"], dogs);
        Assert.Equal(3, ds.Images.Count(i => i.Label == "cats"));
        Assert.All(ds.Images, i => Assert.Equal(ds.Classes[i.ClassIndex], i.Label));
        Assert.All(ds.Images, i => Assert.True(Path.IsPathRooted(i.Path)));
        Assert.Equal(8, ds.Images.Count);
        Assert.Equal(new Dictionary<string, int> { ["Zebras"] = 2, ["cats"] = 3, ["dogs"] = 3 }, ds.CountPerClass());
    }

    [Fact]
    public void FromFolder_with_one_class_says_to_add_class_folders()
    {
        using var t = new TempFolder();
        t.File("cats/a.jpg");
        t.File("cats/b.jpg");

        var e = Assert.Throws<DatasetException>(() => ImageDataset.FromFolder(t.Path));

        Assert.Equal(DatasetException.TooFewClassesCode, e.Code);
        Assert.Contains("found 1 class folder 'cats'", e.Message);
        Assert.Contains("at least 2", e.Message);
        Assert.Contains("add one sub-folder per class", e.Message);
    }

    [Fact]
    public void FromFolder_with_a_one_image_class_names_the_class()
    {
        using var t = new TempFolder();
        t.File("cats/a.jpg");
        t.File("cats/b.jpg");
        t.File("dogs/a.jpg");
        t.File("dogs/readme.txt");

        var e = Assert.Throws<DatasetException>(() => ImageDataset.FromFolder(t.Path));

        Assert.Equal(DatasetException.ClassTooSmallCode, e.Code);
        Assert.Contains("'dogs' has 1 usable image", e.Message);
        Assert.Contains("add more images", e.Message);
    }

    [Fact]
    public void FromFolder_missing_or_empty_folder_is_reported()
    {
        using var t = new TempFolder();
        var missing = Assert.Throws<DatasetException>(() => ImageDataset.FromFolder(Path.Combine(t.Path, "nope")));
        Assert.Equal(DatasetException.NotFoundCode, missing.Code);

        var empty = Assert.Throws<DatasetException>(() => ImageDataset.FromFolder(t.Path));
        Assert.Equal(DatasetException.EmptyCode, empty.Code);
        Assert.Contains("add one sub-folder per class", empty.Message);
    }

    [Fact]
    public void FromCsv_handles_quoting_and_relative_and_absolute_paths()
    {
        using var t = new TempFolder();
        var abs = Path.Combine(t.Path, "elsewhere", "abs.png");
        var csv = t.File("data/labels.csv",
            "\uFEFFpath,label\r\n" +
            "img/a.jpg,cat\r\n" +
            "\"img/with, comma.jpg\",cat\r\n" +
            "\r\n" +
            "img/b.jpg,\"dog \"\"good\"\" boy\"\r\n" +
            $"\"{abs}\",\"dog \"\"good\"\" boy\"\n" +
            "\"img/multi\nline.jpg\",bird\n" +
            "img/c.jpg,bird");

        var ds = ImageDataset.FromCsv(csv);

        Assert.Equal(["bird", "cat", "dog \"good\" boy"], ds.Classes);
        var dataDir = Path.GetDirectoryName(csv)!;
        Assert.Contains(ds.Images, i => i.Path == Path.Combine(dataDir, "img", "with, comma.jpg") && i.Label == "cat");
        Assert.Contains(ds.Images, i => i.Path == Path.Combine(dataDir, "img", "multi\nline.jpg") && i.ClassIndex == 0);
        Assert.Contains(ds.Images, i => i.Path == abs && i.ClassIndex == 2);
        Assert.Equal(6, ds.Images.Count);
        Assert.Equal(ds.Classes, ImageDataset.Load(csv).Classes);
    }

    [Theory]
    [InlineData("file,class\na.jpg,x\n", "needs columns 'path' and 'label'")]
    [InlineData("path,label\n\"a.jpg,x\n", "never closed")]
    [InlineData("path,label\na.jpg\n", "line 2 has 1 field")]
    [InlineData("path,label\na.jpg,\n", "empty label")]
    [InlineData("path,label\n", "no rows")]
    [InlineData("path,label\na.jpg,x\nb.jpg,y\na.jpg,y\n", "a second time")]
    public void FromCsv_malformed_files_are_explained(string content, string expected)
    {
        using var t = new TempFolder();
        var csv = t.File("d.csv", content);

        var e = Assert.Throws<DatasetException>(() => ImageDataset.FromCsv(csv));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_dispatches_on_file_or_folder_and_reports_missing()
    {
        using var t = new TempFolder();
        t.File("a/1.jpg");
        t.File("a/2.jpg");
        t.File("b/1.jpg");
        t.File("b/2.jpg");
        Assert.Equal(["a", "b"], ImageDataset.Load(t.Path).Classes);

        var e = Assert.Throws<DatasetException>(() => ImageDataset.Load(Path.Combine(t.Path, "missing.csv")));
        Assert.Equal(DatasetException.NotFoundCode, e.Code);
    }

    [Fact]
    public void Without_removes_images_keeps_indices_and_rechecks()
    {
        using var t = new TempFolder();
        var a1 = t.File("a/1.jpg");
        t.File("a/2.jpg");
        t.File("a/3.jpg");
        var b1 = t.File("b/1.jpg");
        t.File("b/2.jpg");
        var ds = ImageDataset.FromFolder(t.Path);

        var fewer = ds.Without([a1, Path.Combine(t.Path, "unknown.jpg")]);
        Assert.Equal(4, fewer.Images.Count);
        Assert.DoesNotContain(fewer.Images, i => i.Path == a1);
        Assert.Equal(ds.Classes, fewer.Classes);
        Assert.All(fewer.Images.Where(i => i.Label == "b"), i => Assert.Equal(1, i.ClassIndex));

        var e = Assert.Throws<DatasetException>(() => ds.Without([b1]));
        Assert.Contains("'b' has 1 usable image", e.Message);
    }

    [Fact]
    public void EnsureTrainable_counts_missing_classes_as_zero()
    {
        var e = Assert.Throws<DatasetException>(() => DatasetValidation.EnsureTrainable(
            ["a", "b"], new Dictionary<string, int> { ["a"] = 5 }));
        Assert.Contains("'b' has 0 usable images", e.Message);

        var one = Assert.Throws<DatasetException>(() => DatasetValidation.EnsureTrainable(
            ["a"], new Dictionary<string, int> { ["a"] = 5 }));
        Assert.Equal(DatasetException.TooFewClassesCode, one.Code);

        DatasetValidation.EnsureTrainable(["a", "b"], new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 });
    }
}
