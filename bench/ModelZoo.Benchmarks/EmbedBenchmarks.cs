using BenchmarkDotNet.Attributes;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Tasks;

namespace ModelZoo.Benchmarks;

/// <summary>
/// End-to-end <c>zoo embed</c> (decode files, preprocess, infer, in a pipeline) against ONNX Runtime alone on
/// tensors made in advance, with the same model, batch size and threads. Each operation processes
/// <see cref="Images"/> images, so images/s = Images / mean time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EmbedBenchmarks
{
    /// <summary>Images per operation.</summary>
    public const int Images = 32;

    private IReadOnlyList<string> _paths = [];
    private FeatureExtractor? _extractor;
    private ModelSession? _raw;
    private float[] _tensor = [];
    private string _inputName = "";

    /// <summary>Images per inference call.</summary>
    [Params(8)]
    public int Batch { get; set; }

    /// <summary>Pulls ResNet-18 and prepares both pipelines.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var model = BenchAssets.Pull("imagenet/resnet18/feature_vector");
        _paths = BenchAssets.Photos(Images);
        var options = new ImageTaskOptions { BatchSize = Batch };
        _extractor = FeatureExtractor.Open(model, options);
        _raw = ModelSession.Open(model.ModelPath, options.Session);
        var spec = model.Card.Input!;
        _inputName = spec.Name ?? _raw.Inputs[0].Name;
        var length = ImagePreprocessor.TensorLength(spec);
        _tensor = new float[Batch * length];
        for (var i = 0; i < Batch; i++)
        {
            using var image = ImageDecoder.Decode(_paths[i]);
            ImagePreprocessor.WriteTensor(image, spec, _tensor.AsSpan(i * length, length));
        }
    }

    /// <summary>ONNX Runtime alone on prepared tensors.</summary>
    [Benchmark(Baseline = true)]
    public int RawOnnxRuntime()
    {
        var spec = _extractor!.Card.Input!;
        var rows = 0;
        for (var done = 0; done < Images; done += Batch)
        {
            rows += _raw!.Run(_inputName, _tensor, [Batch, 3, spec.Height, spec.Width]).Count;
        }
        return rows;
    }

    /// <summary>The library's file pipeline, as <c>zoo embed</c> runs it.</summary>
    [Benchmark]
    public async Task<int> EmbedFiles()
    {
        var count = 0;
        await foreach (var outcome in _extractor!.ExtractFilesAsync(_paths))
        {
            count += outcome.Succeeded ? 1 : 0;
        }
        return count;
    }

    /// <summary>Releases the sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _extractor?.Dispose();
        _raw?.Dispose();
    }
}
