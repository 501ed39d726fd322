using BenchmarkDotNet.Running;

namespace ModelZoo.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Entry point; <c>ocr-comparison [VARIANTS]</c> runs the OCR comparison against tesseract instead.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ocr-comparison")
        {
            return OcrComparison.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
