using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tasks.Ocr;
using ModelZoo.Tests.Tasks.Ocr;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Character error rate of the default OCR pipeline against Debian's <c>tesseract</c> on the real-page set that
/// <c>scripts/fetch-test-assets.sh</c> builds in <c>.cache/testdata/ocr-pages/</c> (scikit-image's photographed pages,
/// licence texts typeset by Ghostscript at several resolutions and the same pages photographed). CER is Levenshtein
/// distance over the whole page text, whitespace runs (line breaks included) counted as one space, divided by the
/// length of the ground truth. Tesseract runs at its default page segmentation (<c>--psm 3</c>) and at the other
/// modes that suit pages; the table names the best. Shells out to <c>tesseract</c>, which the library never does.
/// Run: <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- ocr-pages</c>; <c>--show</c> prints what the zoo
/// read, <c>--only=TEXT</c> keeps the pages whose name contains TEXT, <c>--zoo-only</c> skips tesseract, and
/// <c>--upscale=F</c> turns on the detector's upscale of small images (by at most F) and <c>--box=T</c> sets the box
/// threshold, for comparisons with the defaults.
/// </summary>
internal static class OcrPages
{
    private static readonly int[] Psms = [3, 4, 6, 11];

    public static int Run(string[] args)
    {
        var show = args.Contains("--show");
        var only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?[7..];
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        var folder = Path.Combine(testdata, "ocr-pages");
        var pages = Directory.Exists(folder)
            ? Directory.GetFiles(folder).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal))
                .Where(f => File.Exists(Path.ChangeExtension(f, ".txt")) && (only is null || Path.GetFileName(f).Contains(only, StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (pages.Count == 0)
        {
            Console.Error.WriteLine($"no pages in {folder}; run scripts/fetch-test-assets.sh");
            return 1;
        }
        var truths = pages.Select(p => File.ReadAllText(Path.ChangeExtension(p, ".txt"))).ToList();

        var settings = ZooSettings.FromEnvironment();
        var catalog = ModelCatalog.Load(settings);
        using var store = new ModelStore(settings);
        var upscale = args.FirstOrDefault(a => a.StartsWith("--upscale=", StringComparison.Ordinal))?[10..];
        var boxThreshold = args.FirstOrDefault(a => a.StartsWith("--box=", StringComparison.Ordinal))?[6..];
        var options = new TextSpotterOptions
        {
            UpscaleSmallImages = upscale is not null,
            MaxDetectorUpscale = upscale is null ? 4 : double.Parse(upscale, CultureInfo.InvariantCulture),
            BoxThreshold = boxThreshold is null ? 0.6f : float.Parse(boxThreshold, CultureInfo.InvariantCulture),
        };
        using var spotter = TextSpotter.OpenAsync(catalog, store, options: options).GetAwaiter().GetResult();
        var engines = new List<(string Name, string[] Texts, double Seconds)>();
        var watch = Stopwatch.StartNew();
        var zoo = pages.Select(p =>
        {
            using var image = ImageDecoder.Decode(p);
            var text = spotter.Read(image).Text;
            if (show)
            {
                Console.WriteLine($"--- {Path.GetFileName(p)}\n{text}");
            }
            return text;
        }).ToArray();
        engines.Add(("PP-OCRv4 (zoo)", zoo, watch.Elapsed.TotalSeconds));
        var version = RunProcess("tesseract", "--version").Split('\n')[0].Trim();
        foreach (var psm in args.Contains("--zoo-only") ? [] : Psms)
        {
            watch.Restart();
            var texts = pages.Select(p => RunProcess("tesseract", $"\"{p}\" stdout --psm {psm} -l eng")).ToArray();
            engines.Add(($"{version} --psm {psm}", texts, watch.Elapsed.TotalSeconds));
        }

        bool Photo(int i) => Path.GetFileName(pages[i]) is var name && (name.StartsWith("skimage-", StringComparison.Ordinal) || name.Contains("-photo", StringComparison.Ordinal));
        bool All(int i) => true;
        double Cer(string[] texts, Func<int, bool> filter)
        {
            int errors = 0, length = 0;
            for (var i = 0; i < pages.Count; i++)
            {
                if (!filter(i)) continue;
                errors += CharacterErrorRate.Errors(truths[i], texts[i]);
                length += CharacterErrorRate.Length(truths[i]);
            }
            return (double)errors / length;
        }
        if (engines.Count == 1)
        {
            for (var i = 0; i < pages.Count; i++)
            {
                Console.WriteLine($"{Path.GetFileName(pages[i])}: {Cer(zoo, j => j == i):P1}");
            }
            Console.WriteLine($"all {Cer(zoo, All):P2}, photographed {Cer(zoo, Photo):P2}, typeset {Cer(zoo, i => !Photo(i)):P2}");
            return 0;
        }
        var best = engines.Skip(2).Aggregate(engines[1], (a, b) => Cer(b.Texts, All) < Cer(a.Texts, All) ? b : a);
        var columns = new[] { engines[0], engines[1] }.Concat(best == engines[1] ? [] : new[] { best }).ToList();

        Console.WriteLine();
        Console.WriteLine("| page | characters | " + string.Join(" | ", columns.Select(c => c.Name)) + " |");
        Console.WriteLine("|---|---:|" + string.Concat(columns.Select(_ => "---:|")));
        for (var i = 0; i < pages.Count; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Path.GetFileName(pages[i])} | {CharacterErrorRate.Length(truths[i])} | {string.Join(" | ", columns.Select(c => Cer(c.Texts, j => j == i).ToString("P2", CultureInfo.InvariantCulture)))} |"));
        }
        void Summary(string label, Func<int, bool> filter) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **{label}** | {Enumerable.Range(0, pages.Count).Where(filter).Sum(i => CharacterErrorRate.Length(truths[i]))} | {string.Join(" | ", columns.Select(c => "**" + Cer(c.Texts, filter).ToString("P2", CultureInfo.InvariantCulture) + "**"))} |"));
        Summary("photographed pages", Photo);
        Summary("typeset pages", i => !Photo(i));
        Summary("all pages", All);
        Console.WriteLine();
        foreach (var (name, texts, seconds) in engines)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: CER {Cer(texts, All):P2} (photographed {Cer(texts, Photo):P2}, typeset {Cer(texts, i => !Photo(i)):P2}), {seconds:F1} s for {pages.Count} pages"));
        }
        return 0;
    }

    private static string RunProcess(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}; install it (apt-get install -y tesseract-ocr)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return stdout.Result.Length > 0 ? stdout.Result : stderr.Result;
    }
}
