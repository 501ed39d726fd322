using System.Diagnostics;
using ModelZoo.Onnx;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Darknet;

/// <summary>
/// Translates a Darknet model (a cfg and its weights file) into ONNX. The input is <c>input</c> [1, C, H, W]: RGB in
/// 0–1, channel-major, the size of the cfg's <c>[net]</c> section, as libdarknet's <c>network_predict</c> takes it.
/// A network with YOLO or region layers has one output per such layer, named <c>yolo_N</c> or <c>region_N</c> after its
/// cfg layer index (0 = the first section after <c>[net]</c>), holding exactly what libdarknet's forward pass leaves
/// in that layer's output, [1, anchors × (5 + classes), H, W]; beside each, <c>yolo_N_anchors</c> /
/// <c>region_N_anchors</c> [anchors, 2] holds the layer's anchor sizes (YOLO: input pixels of the masked anchors;
/// region: grid cells). Any other network has one output <c>output</c> [1, N]: the flat vector
/// <c>network_predict</c> returns. A layer or option the importer does not translate stops the import with a
/// <see cref="DarknetModelException"/> naming its cfg line. A detector (YOLO or region heads) or a classifier (a softmax
/// last) carries its own description (<see cref="DarknetDescription"/>), so the file runs in <c>zoo detect</c> or
/// <c>zoo classify</c> with Darknet's preprocessing and the right decoder and no flags.
/// </summary>
public static class DarknetImporter
{
    /// <summary>The ONNX opset the importer writes.</summary>
    public const int Opset = 17;

    /// <summary>Identifies the translation rules; stored in the model metadata.</summary>
    public const string ImporterVersion = "darknet-onnx/1";

    /// <summary>Name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>Imports <paramref name="cfgPath"/> with the weights in <paramref name="weightsPath"/>.</summary>
    /// <exception cref="DarknetModelException">A file is missing or malformed, the weights do not match the cfg, or a
    /// layer is not supported.</exception>
    /// <exception cref="ZooUsageException"><see cref="DarknetImportOptions.Labels"/> holds fewer names than the model has
    /// classes, or the network takes none.</exception>
    public static DarknetImportResult Import(string cfgPath, string weightsPath, DarknetImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cfgPath);
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        options ??= new DarknetImportOptions();
        var clock = Stopwatch.StartNew();
        var cfgFull = Path.GetFullPath(cfgPath);
        var weightsFull = Path.GetFullPath(weightsPath);
        var cfg = DarknetCfg.Parse(ReadText(cfgFull), cfgFull);
        var weights = DarknetWeights.Read(ReadBytes(weightsFull, "weights file"), weightsFull);

        var net = cfg.Net;
        var width = net.Int("width", 0);
        var height = net.Int("height", 0);
        var channels = net.Int("channels", 0);
        if (width == 0 && height == 0 && channels == 0 && net.Int("inputs", 0) > 0)
        {
            // A cfg without an image size (recurrent text models) takes a flat vector of `inputs` values.
            (width, height, channels) = (1, 1, net.Int("inputs", 0));
        }
        if (width <= 0 || height <= 0 || channels <= 0 || (long)width * height * channels > int.MaxValue)
        {
            throw net.Invalid($"[net] at line {net.Line} needs positive width, height and channels (has {width}, {height}, {channels})");
        }

        var graph = new DarknetGraph();
        graph.Graph.Name = Path.GetFileNameWithoutExtension(cfgFull);
        graph.Graph.Input.Add(OnnxGraphWriter.ValueInfo(InputName, TensorType.Float, [1, channels, height, width]));
        var translator = new DarknetTranslator(graph, weights);
        translator.Translate(new DarknetValue(InputName, channels, height, width), cfg.Layers);
        weights.RequireEnd();

        if (translator.Heads.Count > 0)
        {
            foreach (var head in translator.Heads)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{head.Kind}_{head.Index}");
                var v = head.Value;
                graph.Output(name, v.Name, 1, v.C, v.H, v.W);
                graph.Output(name + "_anchors", graph.Floats(name + "/anchors", head.Anchors, head.Count, 2), head.Count, 2);
            }
        }
        else
        {
            // network_predict returns the last layer that is not a cost layer.
            var last = cfg.Layers.Count - 1;
            while (last > 0 && cfg.Layers[last].Type == "cost")
            {
                last--;
            }
            var v = translator.Outputs[last];
            graph.Output("output", graph.Reshape("output", v.Name, 1, v.Count), 1, v.Count);
        }

        var model = OnnxGraphWriter.ToModel(graph.Graph, ImporterVersion, Opset);
        if (options.WriteMetadata)
        {
            model.Metadata["modelzoo.importer"] = ImporterVersion;
            model.Metadata["darknet.cfg"] = Path.GetFileName(cfgFull);
            model.Metadata["darknet.weights"] = Path.GetFileName(weightsFull);
            model.Metadata["darknet.version"] = weights.Version;
        }
        DarknetDescription.Write(model, cfg, translator.Heads.Select(h => h.Kind), (width, height, channels), options.Labels);
        return new DarknetImportResult
        {
            Model = model,
            LayerCounts = cfg.Layers.GroupBy(l => l.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            WeightsVersion = weights.Version,
            Seen = weights.Seen,
            ParameterCount = weights.FloatsRead,
            InputSize = (width, height, channels),
            Elapsed = clock.Elapsed,
        };
    }

    private static string ReadText(string path)
    {
        var bytes = ReadBytes(path, "cfg");
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw new DarknetModelException(DarknetModelException.InvalidCode, path,
                $"'{Path.GetFileName(path)}' holds binary data, not a Darknet cfg; check the order of the arguments (the cfg comes first, then the weights).");
        }
        return new System.Text.UTF8Encoding(false, false).GetString(bytes);
    }

    private static byte[] ReadBytes(string path, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new DarknetModelException(DarknetModelException.InvalidCode, path, $"The {what} '{path}' does not exist; check the path.");
        }
        if (info.Length == 0)
        {
            throw new DarknetModelException(DarknetModelException.InvalidCode, path, $"The {what} '{path}' is empty or not a regular file; check the path.");
        }
        if (info.Length > int.MaxValue)
        {
            throw new DarknetModelException(DarknetModelException.InvalidCode, path, $"The {what} '{path}' is larger than 2 GiB, more than any Darknet model; check the path.");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DarknetModelException(DarknetModelException.InvalidCode, path, $"Cannot read the {what} '{path}': {ex.Message.TrimEnd('.')}; check the path and its permissions.", ex);
        }
    }
}
