using BenchmarkDotNet.Running;

namespace ModelZoo.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- --filter '*'</c>, or the
/// server load test: <c>… -- serve-load [--requests N] [--concurrency C]</c>, the transfer-learning comparison with ML.NET:
/// <c>… -- train-vs-mlnet</c>, the linear-head solve on its sets' features: <c>… -- head-solve [--runs N]</c>, the vision pipelines against ONNX Runtime alone and TensorFlow.js:
/// <c>… -- vision [--runs N] [--tfjs-runs M (0: skip)] [--repeat R] [--only detect|pose|faces|segment]</c>, or the fine-tuning figures:
/// <c>… -- finetune-accuracy</c> and <c>… -- finetune-epoch --export DIR</c>, the cost of hashing models on load:
/// <c>… -- verify-on-load [--runs N] [--handle H]</c>, the Open Inference Protocol's latency
/// against the native endpoint: <c>… -- v2-latency [--requests N]</c>, or fp32 against int8 ResNet-18:
/// <c>… -- quantize [--runs N]</c>, and int8 one-file classifiers and the int8 backbone's transfer accuracy:
/// <c>… -- quantize-classifier [--sets a,b]</c>, and the int8 TFJS detector and MoveNet against fp32:
/// <c>… -- quantize-tasks [--tails 0,2,4]</c>, and a folder of photo-sized JPEGs for timing training's decode:
/// <c>… -- large-jpegs OUT [--side N]</c>.</summary>
public static class Program
{
    /// <summary>Entry point; <c>ocr-comparison [VARIANTS]</c> runs the OCR comparison against tesseract on rendered lines
    /// instead, <c>ocr-pages [--show]</c> the one on real pages.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ocr-comparison")
        {
            return OcrComparison.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "ocr-pages")
        {
            return OcrPages.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "train-vs-mlnet")
        {
            return TrainComparison.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "head-solve")
        {
            return HeadSolveCost.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "serve-load")
        {
            return ServeLoad.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "v2-latency")
        {
            return V2Latency.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "vision")
        {
            return VisionThroughput.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "quantize-classifier")
        {
            return QuantizeClassifier.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "quantize-tasks")
        {
            return QuantizeTasks.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "quantize")
        {
            return QuantizeThroughput.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] is "finetune-accuracy" or "finetune-epoch")
        {
            return FineTuneBench.RunAsync(args[0], args[1..]).GetAwaiter().GetResult();
        }
        if (args.Length > 0 && args[0] == "large-jpegs")
        {
            return LargeJpegs.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "verify-on-load")
        {
            return VerifyOnLoad.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
