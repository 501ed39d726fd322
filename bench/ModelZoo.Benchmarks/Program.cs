using BenchmarkDotNet.Running;

namespace ModelZoo.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- --filter '*'</c>, or the
/// server load test: <c>… -- serve-load [--requests N] [--concurrency C]</c>, or the fine-tuning figures:
/// <c>… -- finetune-accuracy</c> and <c>… -- finetune-epoch --export DIR</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "serve-load")
        {
            return ServeLoad.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] is "finetune-accuracy" or "finetune-epoch")
        {
            return FineTuneBench.RunAsync(args[0], args[1..]).GetAwaiter().GetResult();
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
