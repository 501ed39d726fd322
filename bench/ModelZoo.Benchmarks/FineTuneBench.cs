using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Training.Features;
using ModelZoo.Training.FineTuning;
using ModelZoo.Training.FineTuning.Gradients;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Optimizers;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Fine-tuning figures for BENCHMARKS.md.
/// <c>finetune-accuracy [--per-class N] [--unfreeze N] [--epochs N] [--augment light --views N] [--smoothing-percent P]</c>: frozen-backbone head vs fine-tuned ResNet-18 on five Tux Paint
/// categories (held-out accuracy). <c>finetune-epoch --export DIR [--images N] [--epochs N]</c>: times epochs of our
/// ONNX Runtime forward + backward on the cached activations of ResNet-18's last block and writes the activations,
/// labels, the suffix graph (graph.json) and its weights as .npy into DIR for bench/torch/finetune_epoch.py.
/// </summary>
internal static class FineTuneBench
{
    private const string Handle = "imagenet/resnet18/feature_vector";

    private static readonly (string Class, string Folder)[] Classes =
    [
        ("birds", "animals/birds"), ("flowers", "plants/flowers"), ("fruit", "food/fruit"), ("houses", "town/houses/cartoon"), ("roadsigns", "town/roadsigns"),
    ];

    public static async Task<int> RunAsync(string mode, string[] args)
    {
        var perClass = Option(args, "--per-class", 20);
        var unfreeze = Option(args, "--unfreeze", 2);
        var root = Path.Combine(Path.GetTempPath(), "zoo-finetune-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var data = Dataset(Path.Combine(root, "tuxpaint"), perClass);
            var settings = ZooSettings.FromEnvironment();
            var home = settings with { Home = Path.Combine(root, "home") };
            using var store = new ModelStore(settings);
            var catalog = ModelCatalog.Load(home);
            if (mode == "finetune-accuracy")
            {
                var options = new TransferOptions
                {
                    BaseHandle = Handle, Data = data, OutputDirectory = Path.Combine(root, "out"), Name = "local/bench-finetune",
                    Epochs = 20, LearningRate = 0.01f, ValidationSplit = 0.3, BatchSize = 16, Unfreeze = unfreeze,
                    FineTuneEpochs = Option(args, "--epochs", 5), FineTuneLearningRate = 1e-4f,
                    Augment = OptionText(args, "--augment") == "light" ? ModelZoo.Training.Data.AugmentationLevel.Light : ModelZoo.Training.Data.AugmentationLevel.None,
                    AugmentViews = Option(args, "--views", 2),
                    HeadOptions = new HeadTrainingOptions { LabelSmoothing = Option(args, "--smoothing-percent", 0) / 100f },
                };
                var result = await new FineTuner(store, catalog, home).TrainAsync(options);
                var m = result.Transfer.Metrics;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"images {m.Images} (train {m.Images - result.Transfer.ValidationImages.Count}, held out {result.Transfer.ValidationImages.Count}); cut '{result.Plan.CutTensor}', {result.Plan.WeightLayers.Count} weight layers, {result.Plan.ParameterCount:N0} parameters"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"frozen backbone + head: train {result.FrozenTrainAccuracy:P1}, held out {result.FrozenValidationAccuracy:P1}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"fine-tuned (--unfreeze {unfreeze}):   train {m.TrainAccuracy:P1}, held out {m.ValidationAccuracy:P1}, val loss {m.ValidationLoss:0.000}, best epoch {m.BestEpoch}"));
                foreach (var e in result.Transfer.History.Epochs)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  epoch {e.Epoch}: loss {e.TrainLoss:0.000}, acc {e.TrainAccuracy:P1}, val loss {e.ValLoss:0.000}, val acc {e.ValAccuracy:P1}, {result.EpochTimes[e.Epoch - 1].TotalSeconds:0.00} s"));
                }

                return 0;
            }

            var export = Path.GetFullPath(OptionText(args, "--export") ?? throw new ArgumentException("pass --export DIR"));
            await EpochAsync(store, data, home, export, unfreeze, Option(args, "--epochs", 3), Option(args, "--batch", 16), Option(args, "--threads", 0));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task EpochAsync(ModelStore store, string data, ZooSettings home, string export, int unfreeze, int epochs, int batch, int threads)
    {
        var card = ModelCatalog.LoadBuiltin().Get(Handle);
        var local = await store.OpenAsync(card);
        var spec = card.Input!;
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(local.ModelPath));
        var suffix = SuffixGraph.Split(backbone, unfreeze, null);
        var paths = Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var classes = Classes.Select(c => c.Class).ToList();
        var labels = paths.Select(p => classes.IndexOf(Path.GetFileName(Path.GetDirectoryName(p))!)).ToArray();
        float[][] activations;
        using (var extractor = BackboneFeatureExtractor.Open(suffix.Prefix(), spec, OnnxModel.Load(local.PathOf(spec.PreprocessGraph!)),
                   "bench-" + suffix.Plan.CutTensor, new FeatureCache(home), new ImageTaskOptions { BatchSize = 16 }))
        {
            activations = (await extractor.ExtractAsync(paths)).Images.Select(i => i.Features![0]).ToArray();
        }

        var size = activations[0].Length;
        var weight = new float[classes.Count * backbone.FeatureSize];
        new SplitMix64(1).FillUniform(weight, 1f / MathF.Sqrt(backbone.FeatureSize));
        var head = new ClassificationHead(HeadKind.Linear, [new HeadLayer(weight, classes.Count, backbone.FeatureSize, new float[classes.Count], HeadActivation.None)]);

        Directory.CreateDirectory(export);
        Npy.Write(Path.Combine(export, "activations.npy"), activations.SelectMany(a => a).ToArray(), [paths.Count, .. suffix.Plan.ActivationShape]);
        Npy.Write(Path.Combine(export, "labels.npy"), labels.Select(l => (float)l).ToArray(), [paths.Count]);
        WriteGraph(suffix, head, export);

        using var session = new FineTuneSession(suffix, head, new SessionSettings { IntraOpThreads = threads });
        var optimizer = new AdamOptimizer(1e-4f);
        var order = Enumerable.Range(0, paths.Count).ToArray();
        var times = new List<double>();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double loss = 0;
            for (var start = 0; start < order.Length; start += batch)
            {
                var rows = order[start..Math.Min(order.Length, start + batch)];
                var x = new float[rows.Length * size];
                var targets = new float[rows.Length * classes.Count];
                var w = new float[rows.Length];
                for (var i = 0; i < rows.Length; i++)
                {
                    activations[rows[i]].CopyTo(x, i * size);
                    targets[(i * classes.Count) + labels[rows[i]]] = 1;
                    w[i] = 1f / rows.Length;
                }

                var logits = session.Step(x, rows.Length, targets, w);
                loss += ModelZoo.Training.Metrics.Losses.SoftmaxCrossEntropy(logits, rows.Select(r => labels[r]).ToArray(), classes.Count) * rows.Length;
                optimizer.Step(session.Parameters);
            }

            times.Add(clock.Elapsed.TotalSeconds);
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"zoo (ONNX Runtime) epoch {epoch + 1}: {clock.Elapsed.TotalSeconds:0.000} s, cpu {cpuSeconds:0.000} s, loss {loss / paths.Count:0.0000}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"zoo: {paths.Count} images, batch {batch}, cut '{suffix.Plan.CutTensor}', mean epoch after the first {times.Skip(1).DefaultIfEmpty(times[0]).Average():0.000} s"));
        Console.WriteLine($"exported activations, labels, graph.json and weights to {export}");
    }

    /// <summary>The suffix as a node list (op, inputs, outputs, attributes) with every tensor it reads as .npy, and the head.</summary>
    private static void WriteGraph(SuffixGraph suffix, ClassificationHead head, string export)
    {
        var values = suffix.InitialValues();
        var trained = suffix.Plan.Parameters.Select(p => p.Name).ToList();
        var constants = suffix.FrozenConstants();
        foreach (var (name, data, dims) in constants)
        {
            Npy.Write(Path.Combine(export, Safe(name) + ".npy"), data, dims);
        }

        for (var i = 0; i < trained.Count; i++)
        {
            Npy.Write(Path.Combine(export, Safe(trained[i]) + ".npy"), values[i], [.. suffix.Plan.Parameters[i].Dims]);
        }

        Npy.Write(Path.Combine(export, "head_weight.npy"), head.Layers[0].Weight, [head.Layers[0].Rows, head.Layers[0].Cols]);
        Npy.Write(Path.Combine(export, "head_bias.npy"), head.Layers[0].Bias, [head.Layers[0].Rows]);
        var nodes = suffix.DescribeNodes().Select(n => new { op = n.Op, inputs = n.Inputs, outputs = n.Outputs, attrs = n.Attributes });
        var doc = new { input = SuffixGraph.ActivationsInput, output = suffix.Headless.OutputName, trained, constants = constants.Select(c => c.Name), nodes };
        File.WriteAllText(Path.Combine(export, "graph.json"), JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_'));

    private static string Dataset(string root, int perClass)
    {
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        foreach (var (name, folder) in Classes)
        {
            var files = Directory.GetFiles(Path.Combine(testdata, "tuxpaint", folder), "*.png").Order(StringComparer.Ordinal).Take(perClass).ToList();
            if (files.Count < perClass)
            {
                throw new InvalidOperationException($"tuxpaint/{folder} has {files.Count} stamps; run scripts/fetch-test-assets.sh or pass a smaller --per-class");
            }

            Directory.CreateDirectory(Path.Combine(root, name));
            foreach (var f in files)
            {
                File.Copy(f, Path.Combine(root, name, Path.GetFileName(f)));
            }
        }

        return root;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Writes float32 arrays in NumPy's .npy format (version 1.0, little-endian, C order).</summary>
    private static class Npy
    {
        public static void Write(string path, float[] values, long[] shape)
        {
            var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
            var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
            var total = 10 + header.Length + 1;
            header = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
            using var stream = File.Create(path);
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            var headerBytes = Encoding.ASCII.GetBytes(header);
            stream.Write(BitConverter.GetBytes((ushort)headerBytes.Length));
            stream.Write(headerBytes);
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }
}
