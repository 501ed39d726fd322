using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ModelZoo.Tests.Infrastructure;
using static ModelZoo.Cli.Tests.Hostile.StoreCorpusRunner;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile image folders and file names, generated in a temp folder at test time and run through <c>zoo embed</c> and
/// <c>zoo train</c> under a time limit: link loops, pipes, formats the decoder does not read, names that are not UTF-8,
/// and the cases that already held (damaged and truncated images, a decompression bomb, a mixed folder).
/// </summary>
public sealed class ImageFilesHostileCorpusTests : IDisposable
{
    private const string ResNet = "imagenet/resnet18/feature_vector";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoo-hostile-images-" + Guid.NewGuid().ToString("N")[..12]);

    public ImageFilesHostileCorpusTests()
    {
        Directory.CreateDirectory(_root);
    }

    private static ZooSettings Store => SharedStore.Settings with { Offline = true };

    [Fact]
    public void A_folder_with_two_links_back_to_itself_is_listed_once()
    {
        var folder = Folder("loop");
        File.Copy(Dog, Path.Combine(folder, "dog.jpg"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "s1"), "../loop");
        Directory.CreateSymbolicLink(Path.Combine(folder, "s2"), "../loop");

        var result = Run(Store, "embed", ResNet, folder);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Equal(1, Vectors(result));
        Assert.Contains("2 folder link(s) leading to a folder already listed", result.AllText);
    }

    [Fact]
    public void A_self_link_does_not_repeat_the_image()
    {
        var folder = Folder("self");
        File.Copy(Dog, Path.Combine(folder, "dog.jpg"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "again"), ".");
        File.CreateSymbolicLink(Path.Combine(folder, "same.jpg"), "dog.jpg");

        var result = Run(Store, "embed", ResNet, folder);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Equal(1, Vectors(result));
    }

    [Fact]
    public void A_pipe_named_like_an_image_is_skipped_in_a_folder_and_refused_by_name()
    {
        var folder = Folder("fifo");
        File.Copy(Dog, Path.Combine(folder, "dog.jpg"));
        var fifo = Path.Combine(folder, "x.jpg");
        MakeFifo(fifo);

        var inFolder = Run(Store, "embed", ResNet, folder);
        Assert.True(inFolder.ExitCode == 0, inFolder.AllText);
        Assert.Equal(1, Vectors(inFolder));
        Assert.Contains($"skipped '{fifo}': empty or not a regular file (a pipe or device)", inFolder.AllText);

        AssertCleanError(Run(Store, "embed", ResNet, fifo), "x.jpg' is empty or not a regular file", "pass an image file");
    }

    [Fact]
    public void Heic_and_other_formats_in_a_folder_are_reported_and_a_folder_of_only_those_is_an_error()
    {
        var folder = Folder("formats");
        File.Copy(Dog, Path.Combine(folder, "dog.jpg"));
        File.WriteAllBytes(Path.Combine(folder, "a.heic"), HeicLikeHeader());
        File.WriteAllBytes(Path.Combine(folder, "b.HEIF"), HeicLikeHeader());
        File.WriteAllBytes(Path.Combine(folder, "c.tiff"), [0x49, 0x49, 0x2A, 0x00]);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");

        var mixed = Run(Store, "embed", ResNet, folder);
        Assert.True(mixed.ExitCode == 0, mixed.AllText);
        Assert.Equal(1, Vectors(mixed));
        Assert.Contains("skipped 3 image(s) in formats that cannot be read (1 .heic, 1 .heif, 1 .tiff); convert them to JPEG or PNG", mixed.AllText);

        File.Delete(Path.Combine(folder, "dog.jpg"));
        AssertCleanError(Run(Store, "embed", ResNet, folder), "holds no images", "3 image(s) in formats that cannot be read", "convert them to JPEG or PNG");
    }

    [Fact]
    public void A_file_name_that_is_not_utf8_is_named_as_such_by_argument_and_in_a_folder()
    {
        var folder = Folder("names");
        File.Copy(Dog, Path.Combine(folder, "dog.jpg"));
        // What the runtime makes of the bytes 0xFF 0xFE, in a listing and in an argument alike.
        var seen = CreateRawNamedCopy(folder, "bad\\377\\376name.png", Dog);
        Assert.Equal(Path.Combine(folder, "bad\uFFFD\uFFFDname.png"), seen);

        AssertCleanError(Run(Store, "embed", ResNet, seen), "its name is not valid UTF-8", "rename the file to a UTF-8 name");

        var inFolder = Run(Store, "embed", ResNet, folder);
        Assert.True(inFolder.ExitCode == 0, inFolder.AllText);
        Assert.Equal(1, Vectors(inFolder));
        Assert.Contains("its name is not valid UTF-8, which .NET cannot open; rename it to a UTF-8 name", inFolder.AllText);
    }

    [Fact]
    public void A_class_folder_whose_name_is_not_utf8_stops_training_with_its_name()
    {
        var data = Folder("train");
        foreach (var name in new[] { "cats", "dogs" })
        {
            var good = Directory.CreateDirectory(Path.Combine(data, name)).FullName;
            for (var i = 0; i < 5; i++)
            {
                File.Copy(Dog, Path.Combine(good, $"{i}.jpg"));
            }
        }
        Sh("d=\"$(printf '%s/bad\\377name' \"$1\")\"; mkdir \"$d\"; for i in 0 1 2 3 4; do cp \"$2\" \"$d/$i.jpg\"; done", data, Dog);
        using var home = new TempHome();

        var result = Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", data, "--out", Path.Combine(_root, "out"));

        AssertCleanError(result, "class folder", "is not valid UTF-8", "rename the folder to a UTF-8 name");
        Assert.False(Directory.Exists(Path.Combine(_root, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(_root, "out")).Any(),
            "nothing may be written for a dataset that cannot be read whole");
    }

    [Fact]
    public void Damaged_truncated_and_bomb_images_in_a_mixed_folder_are_skipped_and_the_good_one_is_embedded()
    {
        var folder = Folder("mixed");
        var dog = File.ReadAllBytes(Dog);
        File.Copy(Dog, Path.Combine(folder, "good.jpg"));
        File.WriteAllBytes(Path.Combine(folder, "truncated.jpg"), dog[..(dog.Length / 3)]);
        var damaged = (byte[])dog.Clone();
        for (var i = 2; i < 600; i++)
        {
            damaged[i] = 0xFF;
        }
        File.WriteAllBytes(Path.Combine(folder, "damaged.jpg"), damaged);
        File.WriteAllBytes(Path.Combine(folder, "bomb.png"), PngBomb(100_000, 100_000));
        File.WriteAllBytes(Path.Combine(folder, "text.png"), "just text"u8.ToArray());

        var result = Run(Store, "embed", ResNet, folder);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Equal(1, Vectors(result));
        AssertNoStackTrace(result);
        foreach (var name in new[] { "truncated.jpg", "damaged.jpg", "bomb.png", "text.png" })
        {
            Assert.Contains(name, result.Status);
        }
        // Named alone, the bomb is reported the same way (the batch commands report undecodable images per image).
        var bomb = Run(Store, "embed", ResNet, Path.Combine(folder, "bomb.png"));
        AssertNoStackTrace(bomb);
        Assert.Contains("'bomb.png' is 100000x100000", bomb.AllText);
        Assert.Contains("downscale it", bomb.AllText);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    private static int Vectors(CliRunner.Result result)
    {
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.GetArrayLength();
    }

    private static byte[] HeicLikeHeader() =>
        [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c', 0, 0, 0, 0, (byte)'m', (byte)'i', (byte)'f', (byte)'1', (byte)'h', (byte)'e', (byte)'i', (byte)'c'];

    /// <summary>A valid PNG whose header declares <paramref name="width"/>×<paramref name="height"/> pixels over a few bytes of data.</summary>
    private static byte[] PngBomb(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[1 << 20]);
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "mkfifo failed; the corpus needs coreutils' mkfifo");
    }

    /// <summary>Runs a bash script (ASCII, so that the runtime passes it unchanged) with positional arguments.</summary>
    private static void Sh(string script, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", script, "sh", .. args]) { UseShellExecute = false, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bash failed: {error}");
    }

    /// <summary>Copies <paramref name="source"/> to <c>folder/name</c>, where <paramref name="octalName"/> is a printf format with
    /// octal escapes for the bytes that are not UTF-8 (the runtime cannot create such names itself); returns its path as the runtime lists it.</summary>
    private static string CreateRawNamedCopy(string folder, string octalName, string source)
    {
        Sh($"cp \"$2\" \"$(printf '%s/{octalName}' \"$1\")\"", folder, source);
        return Directory.GetFiles(folder).Single(f => f.Contains('\uFFFD'));
    }
}
