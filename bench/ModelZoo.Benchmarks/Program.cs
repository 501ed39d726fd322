using BenchmarkDotNet.Running;

namespace ModelZoo.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- --filter '*'</c>, or the
/// server load test: <c>… -- serve-load [--requests N] [--concurrency C]</c>.</summary>
public static class Program
{
    /// <summary>Entry point; <c>serve-load</c> runs the server load test and <c>ocr-comparison [VARIANTS]</c> the OCR
    /// comparison against tesseract instead of BenchmarkDotNet.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "serve-load")
        {
            return ServeLoad.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "ocr-comparison")
        {
            return OcrComparison.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
