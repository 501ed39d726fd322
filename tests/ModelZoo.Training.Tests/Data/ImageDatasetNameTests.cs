using System.Diagnostics;
using ModelZoo.Training.Data;

namespace ModelZoo.Training.Tests.Data;

/// <summary>Names that are not valid UTF-8 (made with raw bytes by bash, since the runtime cannot create them) are
/// reported by name, never dropped: .NET lists them with U+FFFD and cannot open them by that name.</summary>
public sealed class ImageDatasetNameTests
{
    [Fact]
    public void A_class_folder_whose_name_is_not_utf8_is_an_error_naming_it()
    {
        using var t = new TempFolder();
        t.File("cats/a.jpg");
        t.File("cats/b.jpg");
        t.File("dogs/a.jpg");
        t.File("dogs/b.jpg");
        Bash("d=\"$(printf '%s/bad\\377name' \"$1\")\"; mkdir \"$d\"; for i in 0 1 2 3 4; do echo x > \"$d/$i.jpg\"; done", t.Path);

        var e = Assert.Throws<DatasetException>(() => ImageDataset.FromFolder(t.Path));

        Assert.Equal(DatasetException.UnreadableNameCode, e.Code);
        Assert.Contains("bad\uFFFDname", e.Message);
        Assert.EndsWith("rename the folder to a UTF-8 name.", e.Message);
    }

    [Fact]
    public void An_image_whose_name_is_not_utf8_stays_in_the_dataset_so_decoding_reports_it()
    {
        using var t = new TempFolder();
        t.File("cats/a.jpg");
        t.File("cats/b.jpg");
        t.File("dogs/a.jpg");
        t.File("dogs/b.jpg");
        Bash("echo x > \"$(printf '%s/dogs/bad\\377.jpg' \"$1\")\"", t.Path);

        var ds = ImageDataset.FromFolder(t.Path);

        Assert.Equal(3, ds.CountPerClass()["dogs"]);
        Assert.Contains(ds.Images, i => i.Path.EndsWith("bad\uFFFD.jpg", StringComparison.Ordinal));
    }

    private static void Bash(string script, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", script, "sh", .. args]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
