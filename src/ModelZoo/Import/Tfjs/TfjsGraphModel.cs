namespace ModelZoo.Import.Tfjs;

/// <summary>The parts of a TFJS <c>model.json</c> the importer uses.</summary>
/// <param name="Nodes">The graph's nodes.</param>
/// <param name="Manifest">The weights manifest.</param>
/// <param name="Inputs">Signature inputs; empty when the model has no signature (the placeholders are the inputs).</param>
/// <param name="Outputs">Signature outputs; empty when the model has no signature (nodes nothing reads are the outputs).</param>
/// <param name="GeneratedBy">The <c>generatedBy</c> field.</param>
/// <param name="ConvertedBy">The <c>convertedBy</c> field.</param>
internal sealed record TfjsGraphModel(IReadOnlyList<TfNode> Nodes, JsonElement Manifest, IReadOnlyList<TfjsTensorSpec> Inputs,
    IReadOnlyList<TfjsTensorSpec> Outputs, string? GeneratedBy, string? ConvertedBy)
{
    public static TfjsGraphModel Read(JsonElement root, string path)
    {
        var file = Path.GetFileName(path);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TfjsModelException(path, $"'{file}' is not a JSON object; check that it is a TFJS model.json.");
        }
        if (root.TryGetProperty("format", out var format) && format.ValueKind != JsonValueKind.String)
        {
            throw new TfjsModelException(path, $"The format field of '{file}' is not a string; check that it is a TFJS graph model.");
        }
        if (format.ValueKind == JsonValueKind.String && format.GetString() is { } f && f != "graph-model")
        {
            throw new TfjsModelException(path,
                $"'{file}' is a TFJS '{f}', not a graph model; convert it with tensorflowjs_converter --output_format=tfjs_graph_model first.");
        }
        if (!root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodeList)
            || nodeList.ValueKind != JsonValueKind.Array)
        {
            throw new TfjsModelException(path, $"'{file}' has no modelTopology.node list; check that it is a TFJS graph model.");
        }
        if (topology.TryGetProperty("library", out var library) && library.TryGetProperty("function", out var functions)
            && functions.ValueKind == JsonValueKind.Array && functions.GetArrayLength() > 0)
        {
            // Function bodies are only reached through control flow ops, which are reported as unsupported.
        }
        var nodes = new List<TfNode>();
        foreach (var element in nodeList.EnumerateArray())
        {
            try
            {
                nodes.Add(TfNode.Parse(element));
            }
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException or OverflowException)
            {
                throw new TfjsModelException(path,
                    $"modelTopology.node[{nodes.Count}] of '{file}' is malformed ({ex.Message.TrimEnd('.')}); the file is damaged or not a TFJS graph model, re-export it or pull it again.", ex);
            }
        }
        if (!root.TryGetProperty("weightsManifest", out var manifest))
        {
            throw new TfjsModelException(path, $"'{file}' has no weightsManifest; check that it is a TFJS graph model.");
        }
        // TensorFlow.js reads the signature from the file, and userDefinedMetadata.signature overrides it.
        JsonElement? signature = root.TryGetProperty("signature", out var s) ? s : null;
        if (root.TryGetProperty("userDefinedMetadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("signature", out var ms))
        {
            signature = ms;
        }
        var inputs = new List<TfjsTensorSpec>();
        var outputs = new List<TfjsTensorSpec>();
        if (signature is { ValueKind: JsonValueKind.Object } sig)
        {
            ReadEntries(sig, "inputs", inputs);
            ReadEntries(sig, "outputs", outputs);
        }
        return new TfjsGraphModel(nodes, manifest.Clone(), inputs, outputs, Text(root, "generatedBy"), Text(root, "convertedBy"));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void ReadEntries(JsonElement signature, string property, List<TfjsTensorSpec> into)
    {
        if (!signature.TryGetProperty(property, out var entries) || entries.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var entry in entries.EnumerateObject())
        {
            var info = entry.Value;
            var reference = info.TryGetProperty("name", out var n) && n.GetString() is { Length: > 0 } name ? name : entry.Name;
            var dtype = info.TryGetProperty("dtype", out var d) ? d.GetString() : null;
            long[]? shape = info.TryGetProperty("tensorShape", out var ts) ? TfNode.ReadShape(ts) : null;
            into.Add(new TfjsTensorSpec(entry.Name, reference, dtype, shape));
        }
    }
}
