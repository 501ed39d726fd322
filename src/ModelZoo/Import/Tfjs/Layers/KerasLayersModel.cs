namespace ModelZoo.Import.Tfjs.Layers;

/// <summary>
/// Reads a TFJS <b>layers</b> model (<c>format: "layers-model"</c>: a Keras model topology plus a weights manifest whose
/// names are <c>layer/weight</c>) and expresses it as the TensorFlow graph TensorFlow.js runs for it, so that the graph
/// importer's op converters translate it. Functional and Sequential models are read, nested models expanded; every layer
/// the table cannot translate is reported by class and name.
/// </summary>
internal static class KerasLayersModel
{
    /// <summary>Whether <paramref name="root"/> is a layers model: its format says so, or its topology is a Keras model
    /// (<c>model_config</c>, or <c>class_name</c> with <c>config</c>) rather than a GraphDef (<c>node</c>).</summary>
    public static bool IsLayersModel(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            return format.GetString() == "layers-model";
        }
        return root.TryGetProperty("modelTopology", out var topology) && topology.ValueKind == JsonValueKind.Object
            && !topology.TryGetProperty("node", out _)
            && (topology.TryGetProperty("model_config", out _) || topology.TryGetProperty("class_name", out _));
    }

    /// <summary>The graph model and its constants (manifest weights plus the constants the layers need).</summary>
    /// <exception cref="TfjsModelException">The topology or a weight shard is missing or malformed.</exception>
    /// <exception cref="UnsupportedOperatorsException">Some layers cannot be translated (each named with its class).</exception>
    public static (TfjsGraphModel Model, Dictionary<string, ConstTensor> Constants) Read(JsonElement root, string path)
    {
        var file = Path.GetFileName(path);
        if (!root.TryGetProperty("modelTopology", out var topology) || topology.ValueKind != JsonValueKind.Object)
        {
            throw new TfjsModelException(path, $"'{file}' has no modelTopology object; check that it is a TFJS layers model.");
        }
        var model = topology.TryGetProperty("model_config", out var config) ? config : topology;
        if (model.ValueKind != JsonValueKind.Object || !model.TryGetProperty("class_name", out _) || !model.TryGetProperty("config", out _))
        {
            throw new TfjsModelException(path,
                $"'{file}' says it is a layers-model, but its modelTopology holds no Keras model (class_name and config); re-export it with tensorflowjs_converter.");
        }
        if (!root.TryGetProperty("weightsManifest", out var manifest))
        {
            throw new TfjsModelException(path, $"'{file}' has no weightsManifest; check that it is a complete TFJS layers model.");
        }
        var weights = TfjsWeights.Read(manifest, Path.GetDirectoryName(path)!, path);
        var builder = new KerasGraphBuilder(weights);
        var reader = new Reader(builder, path);
        var outputs = reader.Model(model, null, "");
        if (reader.Problems.Count > 0)
        {
            throw new UnsupportedOperatorsException(path, reader.Problems);
        }
        var outputSpecs = new List<TfjsTensorSpec>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, reference) in outputs)
        {
            var unique = name;
            for (var k = 1; !used.Add(unique); k++)
            {
                unique = $"{name}_{k}";
            }
            outputSpecs.Add(new TfjsTensorSpec(unique, reference, null, null));
        }
        var constants = new Dictionary<string, ConstTensor>(weights, StringComparer.Ordinal);
        foreach (var (name, value) in builder.Constants)
        {
            constants[name] = value;
        }
        var graph = new TfjsGraphModel(builder.Nodes, manifest.Clone(), reader.InputSpecs, outputSpecs,
            Text(root, "generatedBy"), Text(root, "convertedBy"));
        return (graph, constants);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private sealed class Reader(KerasGraphBuilder builder, string path)
    {
        public List<UnsupportedNode> Problems { get; } = [];

        public List<TfjsTensorSpec> InputSpecs { get; } = [];

        private string File => Path.GetFileName(path);

        /// <summary>Converts a model; <paramref name="inputs"/> is null for the top-level model (its input layers become
        /// graph inputs). Returns the output tensors as (layer name, reference).</summary>
        public List<(string Name, string Reference)> Model(JsonElement model, IReadOnlyList<string>? inputs, string scope)
        {
            var className = model.TryGetProperty("class_name", out var cn) ? cn.GetString() ?? "" : "";
            var config = model.GetProperty("config");
            return className == "Sequential" ? Sequential(config, inputs, scope) : Functional(config, inputs, scope);
        }

        private List<(string, string)> Sequential(JsonElement config, IReadOnlyList<string>? inputs, string scope)
        {
            var layers = config.ValueKind == JsonValueKind.Array ? config : config.GetProperty("layers");
            string? current = null;
            string? last = null;
            var index = 0;
            foreach (var layer in layers.EnumerateArray())
            {
                var (className, name, layerConfig) = Describe(layer);
                if (current is null)
                {
                    if (inputs is not null)
                    {
                        current = inputs.Count == 1 ? inputs[0] : throw new InvalidDataException("a nested Sequential model is called on several tensors");
                    }
                    else
                    {
                        var inputName = className == "InputLayer" ? name : $"{name}_input";
                        current = Placeholder(scope + inputName, layerConfig);
                    }
                    if (className == "InputLayer")
                    {
                        index++;
                        continue;
                    }
                }
                var result = Call(layer, className, name, layerConfig, [current], scope + name);
                current = result.Count > 0 ? result[0] : current;
                last = name;
                index++;
            }
            if (current is null)
            {
                throw new InvalidDataException("the Sequential model has no layers");
            }
            return [(last ?? "output", current)];
        }

        private List<(string, string)> Functional(JsonElement config, IReadOnlyList<string>? inputs, string scope)
        {
            var layers = config.GetProperty("layers").EnumerateArray().ToList();
            var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var layer in layers)
            {
                var (_, name, _) = Describe(layer);
                if (!byName.TryAdd(name, layer))
                {
                    throw new InvalidDataException($"the layer name '{name}' appears twice");
                }
            }
            // Output references per (layer, call index): one per output tensor.
            var produced = new Dictionary<(string, long), IReadOnlyList<string>>();
            var inputLayers = config.GetProperty("input_layers").EnumerateArray().Select(Reference).ToList();
            if (inputs is not null && inputs.Count != inputLayers.Count)
            {
                throw new InvalidDataException($"a nested model with {inputLayers.Count} inputs is called on {inputs.Count} tensors");
            }
            for (var i = 0; i < inputLayers.Count; i++)
            {
                var name = inputLayers[i].Layer;
                if (!byName.TryGetValue(name, out var layer))
                {
                    throw new InvalidDataException($"input_layers names '{name}', which is not a layer");
                }
                produced[(name, 0)] = [inputs is null ? Placeholder(scope + name, Describe(layer).Config) : inputs[i]];
            }
            // Layers are listed in call order; passes repeat until every call whose inputs exist has run.
            var pending = layers.Where(l => Describe(l).ClassName != "InputLayer").ToList();
            while (pending.Count > 0)
            {
                var next = new List<JsonElement>();
                foreach (var layer in pending)
                {
                    var (className, name, layerConfig) = Describe(layer);
                    var calls = layer.TryGetProperty("inbound_nodes", out var inbound) ? inbound.EnumerateArray().ToList() : [];
                    var done = true;
                    for (var k = 0; k < calls.Count; k++)
                    {
                        if (produced.ContainsKey((name, k)))
                        {
                            continue;
                        }
                        var refs = calls[k].EnumerateArray().Select(Reference).ToList();
                        if (!refs.All(r => produced.ContainsKey((r.Layer, r.Node))))
                        {
                            done = false;
                            continue;
                        }
                        var args = refs.Select(r => Output(produced[(r.Layer, r.Node)], r)).ToList();
                        produced[(name, k)] = Call(layer, className, name, layerConfig, args, scope + name + (k == 0 ? "" : $"_call{k}"));
                    }
                    if (!done)
                    {
                        next.Add(layer);
                    }
                }
                if (next.Count == pending.Count)
                {
                    throw new InvalidDataException($"layer '{Describe(next[0]).Name}' reads a layer that never runs (a cycle or a missing layer)");
                }
                pending = next;
            }
            var result = new List<(string, string)>();
            foreach (var output in config.GetProperty("output_layers").EnumerateArray().Select(Reference))
            {
                if (!produced.TryGetValue((output.Layer, output.Node), out var refs))
                {
                    throw new InvalidDataException($"output_layers names '{output.Layer}', which never runs");
                }
                result.Add((output.Layer, Output(refs, output)));
            }
            return result;
        }

        private static string Output(IReadOnlyList<string> refs, (string Layer, long Node, long Tensor) r) =>
            r.Tensor < refs.Count ? refs[(int)r.Tensor] : throw new InvalidDataException($"layer '{r.Layer}' has no output {r.Tensor}");

        /// <summary>Runs one layer call; returns its output references (nested models may have several).</summary>
        private IReadOnlyList<string> Call(JsonElement layer, string className, string name, JsonElement config,
            IReadOnlyList<string> inputs, string scope)
        {
            if (className is "Sequential" or "Functional" or "Model")
            {
                return Model(layer, inputs, scope == name ? "" : scope + "/").Select(o => o.Reference).ToList();
            }
            var converter = KerasLayerTable.Find(className);
            if (converter is null)
            {
                Problems.Add(new UnsupportedNode(className, name, className == "Lambda"
                    ? "a Lambda layer holds Python code, which has no portable meaning"
                    : "no converter for this Keras layer class (a custom layer is reported by its class name)"));
                return [$"unsupported/{scope}"];
            }
            var call = new KerasLayerCall(builder, className, name, scope, config, inputs);
            try
            {
                var result = converter(call);
                return [builder.Emit(scope, "Identity", [result])];
            }
            catch (NodeNotSupportedException ex)
            {
                Problems.Add(new UnsupportedNode(className, name, ex.Reason));
                return [$"unsupported/{scope}"];
            }
            catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new TfjsModelException(path,
                    $"Layer '{name}' ({className}) of '{File}' is malformed ({ex.Message.TrimEnd('.')}); re-export the model or pull it again.", ex);
            }
        }

        private string Placeholder(string name, JsonElement config)
        {
            // A Sequential model starting with a nested model takes its input shape from the nested model's first layer.
            while (config.ValueKind == JsonValueKind.Object && !config.TryGetProperty("batch_input_shape", out _)
                   && config.TryGetProperty("layers", out var inner) && inner.ValueKind == JsonValueKind.Array && inner.GetArrayLength() > 0
                   && inner[0].TryGetProperty("config", out var first))
            {
                config = first;
            }
            var dtype = config.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "float32";
            var tf = dtype switch
            {
                "float32" => "DT_FLOAT",
                "int32" => "DT_INT32",
                _ => throw new InvalidDataException($"the input '{name}' has dtype {dtype}; TensorFlow.js layers take float32 or int32"),
            };
            long[]? shape = null;
            if (config.TryGetProperty("batch_input_shape", out var s) && s.ValueKind == JsonValueKind.Array)
            {
                shape = s.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? -1 : e.GetInt64()).ToArray();
            }
            else if (config.TryGetProperty("batch_shape", out var bs) && bs.ValueKind == JsonValueKind.Array)
            {
                shape = bs.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? -1 : e.GetInt64()).ToArray();
            }
            var attrs = new List<(string, JsonElement)> { ("dtype", TfAttr.Type(tf)) };
            if (shape is not null)
            {
                attrs.Add(("shape", TfAttr.Shape(shape)));
            }
            var node = builder.Emit(name, "Placeholder", [], [.. attrs]);
            InputSpecs.Add(new TfjsTensorSpec(node, node, tf, shape));
            return node;
        }

        private static (string ClassName, string Name, JsonElement Config) Describe(JsonElement layer)
        {
            var className = layer.GetProperty("class_name").GetString() ?? throw new InvalidDataException("a layer has no class_name");
            var config = layer.GetProperty("config");
            var name = (layer.TryGetProperty("name", out var n) ? n.GetString() : null)
                       ?? (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("name", out var cn) ? cn.GetString() : null)
                       ?? throw new InvalidDataException($"a {className} layer has no name");
            return (className, name, config);
        }

        /// <summary>A Keras 2 reference <c>[layer, call index, tensor index, kwargs]</c>.</summary>
        private static (string Layer, long Node, long Tensor) Reference(JsonElement r) =>
            (r[0].GetString() ?? throw new InvalidDataException("a layer reference has no name"), r[1].GetInt64(), r[2].GetInt64());
    }
}
