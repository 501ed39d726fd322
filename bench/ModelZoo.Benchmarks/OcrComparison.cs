using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks.Ocr;
using ModelZoo.Tests.Tasks.Ocr;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Character error rate and speed of the PP-OCRv4 pipeline against Debian's <c>tesseract</c> on rendered sign lines
/// (the OCR tests' renderer: DejaVu fonts, 20–48 px, ±3°, mild noise, photo backgrounds). A console mode, not a
/// BenchmarkDotNet class: it shells out to the <c>tesseract</c> program, which the library itself never does.
/// Run: <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- ocr-comparison [VARIANTS]</c>.
/// </summary>
internal static class OcrComparison
{
    public static int Run(string[] args)
    {
        var variants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        var folder = Path.Combine(Path.GetTempPath(), "zoo-ocr-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        var set = TextImageRenderer.SingleLineSet(name => Path.Combine(testdata, name), variants);
        var files = new List<string>();
        foreach (var sample in set)
        {
            var path = Path.Combine(folder, sample.Name + ".png");
            sample.SavePng(path);
            files.Add(path);
        }
        Console.WriteLine($"{set.Count} rendered lines in {folder}");

        var settings = ZooSettings.FromEnvironment();
        var catalog = ModelCatalog.Load(settings);
        using var store = new ModelStore(settings);
        using var spotter = TextSpotter.OpenAsync(catalog, store).GetAwaiter().GetResult();
        using (var warm = set[0].ToImage())
        {
            spotter.Read(warm);
        }
        var paddle = Measure("PP-OCRv4 (zoo, ONNX Runtime)", set, i =>
        {
            using var image = set[i].ToImage();
            return spotter.Read(image).Text;
        });
        var tesseractVersion = RunProcess("tesseract", "--version").Split('\n')[0].Trim();
        var psm3 = Measure($"{tesseractVersion} --psm 3 (auto)", set, i => RunProcess("tesseract", $"\"{files[i]}\" stdout --psm 3 -l eng"));
        var psm11 = Measure($"{tesseractVersion} --psm 11 (sparse)", set, i => RunProcess("tesseract", $"\"{files[i]}\" stdout --psm 11 -l eng"));

        Console.WriteLine();
        Console.WriteLine("| engine | CER all | CER 20–28 px | CER 32–48 px | lines exact | mean ms/image |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in new[] { paddle, psm3, psm11 })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Cer(_ => true):P1} | {r.Cer(s => s.Size <= 28):P1} | {r.Cer(s => s.Size >= 32):P1} | {r.Exact}/{set.Count} | {r.MeanMs:F0} |"));
        }
        set.ForEach(s => s.Dispose());
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static Result Measure(string name, List<RenderedText> set, Func<int, string> read)
    {
        var texts = new string[set.Count];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < set.Count; i++)
        {
            texts[i] = read(i);
        }
        watch.Stop();
        Console.WriteLine($"{name}: {watch.Elapsed.TotalSeconds:F1} s");
        return new Result(name, set, texts, watch.Elapsed.TotalMilliseconds / set.Count);
    }

    private static string RunProcess(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}; install it (apt-get install -y tesseract-ocr)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        // tesseract --version writes to stdout in 5.x; fall back to stderr for older builds.
        return stdout.Result.Length > 0 ? stdout.Result : stderr.Result;
    }

    private sealed record Result(string Name, List<RenderedText> Set, string[] Texts, double MeanMs)
    {
        public int Exact => Set.Select((s, i) => CharacterErrorRate.Errors(s.Lines[0], Texts[i]) == 0).Count(x => x);

        public double Cer(Func<RenderedText, bool> filter)
        {
            int errors = 0, length = 0;
            for (var i = 0; i < Set.Count; i++)
            {
                if (!filter(Set[i])) continue;
                errors += CharacterErrorRate.Errors(Set[i].Lines[0], Texts[i]);
                length += CharacterErrorRate.Length(Set[i].Lines[0]);
            }
            return length == 0 ? 0 : (double)errors / length;
        }
    }
}
