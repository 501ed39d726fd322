using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ModelZoo.Runtime;

namespace ModelZoo.Tests.Import;

/// <summary>
/// Outputs of TensorFlow.js itself (pure-JS CPU backend, <c>tests/node/tfjs-reference.mjs</c>) for a model and a
/// deterministic input pattern. Results are cached under <c>.cache/tfjs-reference/&lt;model.json sha&gt;-…</c>, so
/// Node runs once per model and machine.
/// </summary>
internal sealed class TfjsReference
{
    private TfjsReference(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
    }

    public IReadOnlyList<NamedTensor> Inputs { get; }

    public IReadOnlyList<NamedTensor> Outputs { get; }

    private static readonly object NodeLock = new();

    public static TfjsReference Get(string modelJsonPath, double min, double range, int seed = 1)
    {
        min = min == 0 ? 0 : min; // no "-0" in folder names
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelJsonPath)));
        var key = string.Create(CultureInfo.InvariantCulture, $"{sha[..16]}-m{min:R}-r{range:R}-s{seed}");
        var folder = Path.Combine(TestAssets.RepoRoot, ".cache", "tfjs-reference", key);
        var index = Path.Combine(folder, "reference.json");
        lock (NodeLock)
        {
            if (!File.Exists(index))
            {
                RunNode(modelJsonPath, folder, min, range, seed);
            }
        }
        using var document = JsonDocument.Parse(File.ReadAllText(index));
        return new TfjsReference(Read(document.RootElement.GetProperty("inputs"), folder),
            Read(document.RootElement.GetProperty("outputs"), folder));
    }

    /// <summary>Outputs of <c>tf.loadLayersModel</c> (<c>tests/node/tfjs-layers-reference.mjs</c>) for a layers model
    /// on an NHWC input of <paramref name="shape"/>: noise uniform in [min, min + range), or the values of
    /// <paramref name="input"/> when given. Cached like <see cref="Get"/>, keyed by the model, weights and input.</summary>
    public static TfjsReference GetLayers(string modelJsonPath, int[] shape, double min, double range, int seed = 1, float[]? input = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(modelJsonPath));
        foreach (var shard in Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!, "*.bin").Order(StringComparer.Ordinal))
        {
            hash.AppendData(File.ReadAllBytes(shard));
        }
        string? inputFile = null;
        if (input is not null)
        {
            var bytes = new byte[input.Length * 4];
            Buffer.BlockCopy(input, 0, bytes, 0, bytes.Length);
            hash.AppendData(bytes);
            inputFile = Path.Combine(Path.GetTempPath(), "zoo-layers-input-" + Guid.NewGuid().ToString("N")[..8] + ".bin");
            File.WriteAllBytes(inputFile, bytes);
        }
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var key = string.Create(CultureInfo.InvariantCulture, $"layers-{sha[..16]}-{string.Join("x", shape)}-m{min:R}-r{range:R}-s{seed}");
        var folder = Path.Combine(TestAssets.RepoRoot, ".cache", "tfjs-reference", key);
        var index = Path.Combine(folder, "reference.json");
        try
        {
            lock (NodeLock)
            {
                if (!File.Exists(index))
                {
                    var args = new List<string> { "--shape", string.Join(",", shape), "--min", min.ToString("R", CultureInfo.InvariantCulture),
                        "--range", range.ToString("R", CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture) };
                    if (inputFile is not null)
                    {
                        args.AddRange(["--input", inputFile]);
                    }
                    RunNode("tfjs-layers-reference.mjs", modelJsonPath, folder, args);
                }
            }
        }
        finally
        {
            if (inputFile is not null)
            {
                File.Delete(inputFile);
            }
        }
        using var document = JsonDocument.Parse(File.ReadAllText(index));
        return new TfjsReference(Read(document.RootElement.GetProperty("inputs"), folder),
            Read(document.RootElement.GetProperty("outputs"), folder));
    }

    private static void RunNode(string modelJsonPath, string folder, double min, double range, int seed) =>
        RunNode("tfjs-reference.mjs", modelJsonPath, folder, ["--min", min.ToString("R", CultureInfo.InvariantCulture),
            "--range", range.ToString("R", CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture)]);

    private static void RunNode(string scriptName, string modelJsonPath, string folder, IReadOnlyList<string> extra)
    {
        var script = Path.Combine(TestAssets.RepoRoot, "tests", "node", scriptName);
        var tfjs = Path.Combine(TestAssets.RepoRoot, ".cache", "node", "node_modules", "@tensorflow", "tfjs", "package.json");
        Assert.True(File.Exists(tfjs),
            "@tensorflow/tfjs is not installed in .cache/node: run scripts/install-test-deps.sh (it needs Node.js and npm).");
        var temp = folder + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, modelJsonPath, temp }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is not on PATH: install it, then run scripts/install-test-deps.sh.", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{scriptName} failed ({process.ExitCode}): {stderr.Result}{stdout}");
        }
        if (Directory.Exists(folder))
        {
            Directory.Delete(temp, recursive: true);
            return;
        }
        Directory.Move(temp, folder);
    }

    private static List<NamedTensor> Read(JsonElement list, string folder)
    {
        var result = new List<NamedTensor>();
        foreach (var entry in list.EnumerateArray())
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, entry.GetProperty("file").GetString()!));
            var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Array data;
            if (entry.GetProperty("dtype").GetString() == "int32")
            {
                var ints = new int[bytes.Length / 4];
                Buffer.BlockCopy(bytes, 0, ints, 0, bytes.Length);
                data = ints;
            }
            else
            {
                var floats = new float[bytes.Length / 4];
                Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
                data = floats;
            }
            result.Add(new NamedTensor(entry.GetProperty("name").GetString()!, data, shape));
        }
        return result;
    }
}
