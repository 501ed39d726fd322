using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelZoo.Tests.Import.Darknet;

/// <summary>
/// libdarknet itself as the parity peer: <c>darknet-reference.c</c> (beside this file) is compiled against Debian's
/// <c>libdarknet.so</c> and, for a cfg, writes random weights with <c>save_weights</c> and the outputs of
/// <c>network_predict</c> on a seeded random input. Results are cached under <c>.cache/darknet-reference/</c> by the
/// hash of the cfg, the harness source and the seed, so libdarknet runs once per cfg and machine.
/// </summary>
internal sealed partial class DarknetReference
{
    public const string CfgFolder = "/usr/share/darknet/cfg";
    private const string Include = "/usr/lib/darknet/include";
    private const string LibraryFolder = "/usr/lib/darknet";
    private static readonly object BuildLock = new();

    private DarknetReference(string cfg, string weights, IReadOnlyList<(int Layer, int C, int H, int W, float[] Values)> tensors)
    {
        Cfg = cfg;
        Weights = weights;
        Tensors = tensors;
    }

    /// <summary>The cfg libdarknet ran (a copy at batch 1, resized when asked).</summary>
    public string Cfg { get; }

    /// <summary>The weights file libdarknet wrote.</summary>
    public string Weights { get; }

    /// <summary>Layer −1 is the input, −2 the network output, others the YOLO and region layers by index.</summary>
    public IReadOnlyList<(int Layer, int C, int H, int W, float[] Values)> Tensors { get; }

    public float[] Input => Tensors.Single(t => t.Layer == -1).Values;

    /// <summary>One of the Debian package's cfgs; fails naming the install script when the package is missing.</summary>
    public static string PackageCfg(string name)
    {
        var path = Path.Combine(CfgFolder, name);
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/install-test-deps.sh (it installs Debian's darknet package).");
        return path;
    }

    /// <summary>Runs (or reads the cached run of) libdarknet on a copy of <paramref name="cfgPath"/> at batch 1 and,
    /// when given, another input size.</summary>
    public static DarknetReference Get(string cfgPath, int? size = null, int seed = 1, bool predict = true)
    {
        var text = BatchOne(File.ReadAllText(cfgPath), size);
        var harness = Harness();
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text + "\n" + harness + "\n" + seed + "\n" + predict)))[..20];
        var folder = Path.Combine(TestAssets.RepoRoot, ".cache", "darknet-reference", Path.GetFileNameWithoutExtension(cfgPath) + "-" + key);
        var cfg = Path.Combine(folder, Path.GetFileName(cfgPath));
        var weights = Path.Combine(folder, "model.weights");
        var outputs = Path.Combine(folder, "outputs.bin");
        lock (BuildLock)
        {
            if (!File.Exists(outputs))
            {
                var temp = folder + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                Directory.CreateDirectory(temp);
                File.WriteAllText(Path.Combine(temp, Path.GetFileName(cfgPath)), text);
                try
                {
                    Run(harness, Path.Combine(temp, Path.GetFileName(cfgPath)), Path.Combine(temp, "model.weights"), Path.Combine(temp, "outputs.bin"), seed, predict);
                }
                catch
                {
                    Directory.Delete(temp, recursive: true);
                    throw;
                }
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
                Directory.Move(temp, folder);
            }
        }
        return new DarknetReference(cfg, weights, predict ? ReadTensors(outputs) : []);
    }

    /// <summary>libdarknet's weights for <paramref name="cfgPath"/> (batch 1) in a temp folder the caller deletes: for
    /// cfgs too large to keep in the cache.</summary>
    public static (string Cfg, string Weights) WeightsOnly(string cfgPath, string folder)
    {
        var harness = Harness();
        var cfg = Path.Combine(folder, Path.GetFileName(cfgPath));
        File.WriteAllText(cfg, BatchOne(File.ReadAllText(cfgPath), null));
        var weights = Path.Combine(folder, "model.weights");
        Run(harness, cfg, weights, Path.Combine(folder, "outputs.bin"), 1, predict: false);
        return (cfg, weights);
    }

    private static string BatchOne(string text, int? size)
    {
        text = BatchLine().Replace(text, m => m.Groups[1].Value + "=1");
        if (size is int s)
        {
            text = SizeLine().Replace(text, m => m.Groups[1].Value + "=" + s.ToString(CultureInfo.InvariantCulture));
        }
        return text;
    }

    [GeneratedRegex(@"^[ \t]*(batch|subdivisions)[ \t]*=[ \t]*\d+", RegexOptions.Multiline)]
    private static partial Regex BatchLine();

    [GeneratedRegex(@"^[ \t]*(width|height)[ \t]*=[ \t]*\d+", RegexOptions.Multiline)]
    private static partial Regex SizeLine();

    /// <summary>libdarknet's detector input for <paramref name="imagePath"/>: <c>load_image_color</c> then
    /// <c>letterbox_image</c> to <paramref name="width"/> × <paramref name="height"/>, channel-major RGB in 0–1.</summary>
    public static float[] Letterbox(string imagePath, int width, int height)
    {
        var harness = File.ReadAllText(Path.Combine(TestAssets.RepoRoot, "tests", "ModelZoo.Tests", "Import", "Darknet", "darknet-letterbox.c"));
        var output = Path.Combine(Path.GetTempPath(), "darknet-letterbox-" + Guid.NewGuid().ToString("N")[..8] + ".bin");
        try
        {
            var (code, log) = Exec(Compiled(harness), imagePath, width.ToString(CultureInfo.InvariantCulture),
                height.ToString(CultureInfo.InvariantCulture), output);
            Assert.True(code == 0, $"libdarknet could not letterbox {imagePath} (exit {code}): {log}");
            var bytes = File.ReadAllBytes(output);
            Assert.Equal(width * height * 3 * sizeof(float), bytes.Length);
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string Harness() => File.ReadAllText(Path.Combine(TestAssets.RepoRoot, "tests", "ModelZoo.Tests", "Import", "Darknet", "darknet-reference.c"));

    private static string Compiled(string harness)
    {
        Assert.True(File.Exists(Path.Combine(LibraryFolder, "libdarknet.so")) && File.Exists(Path.Combine(Include, "darknet.h")),
            "libdarknet is missing: run scripts/install-test-deps.sh (it installs Debian's darknet package and a C compiler).");
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(harness)))[..16];
        var binary = Path.Combine(TestAssets.RepoRoot, ".cache", "darknet-reference", "bin-" + sha, "darknet-reference");
        lock (BuildLock)
        {
            if (!File.Exists(binary))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
                var source = Path.Combine(Path.GetDirectoryName(binary)!, "darknet-reference.c");
                File.WriteAllText(source, harness);
                var (code, output) = Exec("cc", "-O2", "-std=c99", "-I" + Include, source, "-L" + LibraryFolder, "-ldarknet",
                    "-Wl,-rpath," + LibraryFolder, "-o", binary + ".tmp");
                Assert.True(code == 0, $"compiling the libdarknet harness failed (run scripts/install-test-deps.sh for the C compiler): {output}");
                File.Move(binary + ".tmp", binary, overwrite: true);
            }
        }
        return binary;
    }

    private static void Run(string harness, string cfg, string weights, string outputs, int seed, bool predict)
    {
        var args = new List<string> { cfg, weights, outputs, seed.ToString(CultureInfo.InvariantCulture) };
        if (!predict)
        {
            args.Add("--weights-only");
        }
        var (code, output) = Exec(Compiled(harness), [.. args]);
        Assert.True(code == 0, $"libdarknet failed on {cfg} (exit {code}): {output[Math.Max(0, output.Length - 2000)..]}");
    }

    private static (int Code, string Output) Exec(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static List<(int, int, int, int, float[])> ReadTensors(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        var result = new List<(int, int, int, int, float[])>();
        for (var k = 0; k < count; k++)
        {
            int layer = reader.ReadInt32(), c = reader.ReadInt32(), h = reader.ReadInt32(), w = reader.ReadInt32();
            var values = new float[c * h * w];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.ReadSingle();
            }
            result.Add((layer, c, h, w, values));
        }
        return result;
    }
}
