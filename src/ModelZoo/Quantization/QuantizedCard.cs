using System.Security.Cryptography;
using System.Text;

namespace ModelZoo.Quantization;

/// <summary>Writes a <see cref="QuantizedModel"/>'s files and builds the card that registers it: its own SHA-256, a
/// link to the base card and the calibration set's size and hash.</summary>
public static class QuantizedCard
{
    /// <summary>
    /// Writes the int8 model (the card's float preprocessing graph joined in front, where it has one) and the card's
    /// other files (labels) into
    /// <paramref name="directory"/> and returns the card for <paramref name="handle"/>; registering it is the caller's.
    /// </summary>
    /// <param name="baseCard">The float model's card.</param>
    /// <param name="local">The float model's files in the store.</param>
    /// <param name="result">What <see cref="StaticQuantizer.Quantize"/> returned.</param>
    /// <param name="handle">Handle of the new card.</param>
    /// <param name="method">Calibration method as recorded (<see cref="QuantizationOptions.MethodName"/>).</param>
    /// <param name="calibrationSha256">Hash of the calibration set (<see cref="CalibrationHash"/>).</param>
    /// <param name="calibrationCount">Calibration images used.</param>
    /// <param name="directory">Folder for the files, created when missing.</param>
    public static ModelCard Write(ModelCard baseCard, LocalModel local, QuantizedModel result, string handle, string method,
        string calibrationSha256, int calibrationCount, string directory)
    {
        ArgumentNullException.ThrowIfNull(baseCard);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(result);
        // The float preprocessing graph goes in front of the int8 model, so that one file takes the tensor the card
        // describes and can say so in its own metadata; the graph runs as it did beside the model.
        var (model, spec) = OneFile(baseCard.Input, result);
        Directory.CreateDirectory(directory);
        var files = new List<ModelFile>();
        var modelName = Path.GetFileNameWithoutExtension(baseCard.ModelFile.Name) + ".int8.onnx";
        Describe(model, baseCard with { Input = spec }, local);
        files.Add(WriteFile(directory, modelName, "model", model.ToBytes()));
        foreach (var file in baseCard.Files.Where(f => f != baseCard.ModelFile))
        {
            if (file.Name == baseCard.Input?.PreprocessGraph)
            {
                continue;
            }
            if (baseCard.Format == ModelFormat.Onnx || file.Role == "labels")
            {
                files.Add(WriteFile(directory, file.Name, file.Role, File.ReadAllBytes(local.PathOf(file.Name))));
            }
        }
        var agreement = result.Agreement;
        return baseCard with
        {
            Input = spec,
            Handle = handle,
            Version = "1",
            Title = (baseCard.Title ?? baseCard.Handle) + " (int8)",
            Description = $"Static int8 quantization (QDQ) of {baseCard.Handle}, calibrated on {calibrationCount} images.",
            Format = ModelFormat.Onnx,
            Files = files,
            Opset = result.Model.Opsets.TryGetValue("", out var opset) ? (int)opset : null,
            Provenance = new Provenance
            {
                Zoo = "zoo quantize",
                Url = baseCard.Provenance?.Url,
                Paper = baseCard.Provenance?.Paper,
                Notes = string.Create(CultureInfo.InvariantCulture,
                    $"uint8 activations (QuantizeLinear/DequantizeLinear), int8 symmetric per-channel Conv weights, int32 biases; BatchNormalization folded; {result.QuantizedTensors} activations and {result.QuantizedWeights} weight tensors quantized; in float: {(result.FloatNodes.Count == 0 ? "none" : string.Join(", ", result.FloatNodes))}. Base model SHA-256 {baseCard.ModelFile.Sha256}."),
            },
            Tags = baseCard.Tags.Concat(["int8", "quantized"]).Distinct(StringComparer.Ordinal).ToList(),
            QuantizedFrom = baseCard.Handle,
            Quantization = new QuantizationInfo
            {
                Scheme = "static-int8-qdq",
                BaseSha256 = baseCard.ModelFile.Sha256,
                Method = method,
                CalibrationImages = calibrationCount,
                CalibrationSha256 = calibrationSha256,
                Metric = agreement.Metric,
                Agreement = Math.Round(agreement.Value, 6),
                Threshold = agreement.Threshold,
            },
        };
    }

    /// <summary>One hash for a calibration set: each file's path relative to <paramref name="root"/> and its SHA-256,
    /// in the order given.</summary>
    public static string CalibrationHash(string root, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var lines = new StringBuilder();
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            lines.Append(Path.GetRelativePath(root, file).Replace('\\', '/')).Append(' ')
                .Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    /// <summary>The int8 model with the preprocessing graph (where the card has one) joined in front, and the input spec
    /// of what it then takes.</summary>
    private static (Onnx.OnnxModel Model, InputSpec? Input) OneFile(InputSpec? input, QuantizedModel result)
    {
        if (input?.PreprocessGraph is null || result.Preprocess is null)
        {
            return (result.Model, input);
        }
        var joined = Onnx.GraphComposer.Prepend(result.Preprocess, result.Model, input.Name);
        return (joined, input with { Name = joined.Inputs[0].Name, PreprocessGraph = null });
    }

    /// <summary>
    /// Writes the card's task, input and output specs and class names (with their offset) into the int8 file, so that
    /// the file copied anywhere runs as the card would. Left out where the file already says it, or where its input is
    /// still a separate preprocessing graph.
    /// </summary>
    private static void Describe(Onnx.OnnxModel model, ModelCard baseCard, LocalModel local)
    {
        if (baseCard.Input is not { PreprocessGraph: null } input || model.Metadata.ContainsKey(ModelMetadataKeys.Input))
        {
            return;
        }
        var labels = baseCard.Labels is { } spec ? LabelSets.Load(spec, local.PathOf) : null;
        EmbeddedModelDescription.Write(model.Metadata, baseCard.Task, input, baseCard.Output, labels, baseCard.Labels?.Offset ?? 0, baseCard.License);
    }

    private static ModelFile WriteFile(string dir, string fileName, string role, byte[] bytes)
    {
        var path = Path.Combine(dir, fileName);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return new ModelFile { Name = fileName, Role = role, Source = "file:" + path, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Size = bytes.Length };
    }
}
