using System.Collections.Frozen;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelZoo.Onnx;

namespace ModelZoo.Runtime;

/// <summary>
/// A loaded ONNX model ready to run on ONNX Runtime. One session may serve concurrent <c>Run</c> calls
/// from many threads: it keeps no per-call state. Dispose it to release the native session.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private const string InMemorySource = "in-memory model";
    private const string CudaProviderName = "CUDAExecutionProvider";

    private readonly FrozenDictionary<string, TensorInfo> _inputsByName;
    private readonly FrozenSet<string> _outputNames;
    private readonly ModelInspection _inspection;
    private readonly string[] _allOutputNames;
    private volatile bool _disposed;
    private volatile Action<IReadOnlyList<NamedTensor>, IReadOnlyList<string>>? _recorder;

    private ModelSession(InferenceSession session, OnnxModel model, IReadOnlyList<string> rewrites)
    {
        Session = session;
        Inputs = session.InputNames.Select(n => Describe(n, session.InputMetadata[n])).ToArray();
        Outputs = session.OutputNames.Select(n => Describe(n, session.OutputMetadata[n])).ToArray();
        _inputsByName = Inputs.ToFrozenDictionary(i => i.Name, StringComparer.Ordinal);
        _allOutputNames = Outputs.Select(o => o.Name).ToArray();
        _outputNames = _allOutputNames.ToFrozenSet(StringComparer.Ordinal);
        var proto = model.Proto;
        _inspection = new ModelInspection(
            model.IrVersion,
            model.Opsets,
            model.ProducerName,
            proto.HasProducerVersion && proto.ProducerVersion.Length > 0 ? proto.ProducerVersion : null,
            model.ParameterCount,
            model.NodeCount,
            model.OperatorCounts,
            Inputs,
            Outputs,
            model.Metadata.ToDictionary(StringComparer.Ordinal),
            rewrites);
    }

    /// <summary>Inputs in the model's order, as ONNX Runtime reports them.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Outputs in the model's order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>The underlying ONNX Runtime session, for anything this wrapper does not cover. Owned by this object.</summary>
    public InferenceSession Session { get; }

    /// <summary>Opens the ONNX file at <paramref name="onnxPath"/>.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not ONNX, or not loadable by ONNX Runtime.</exception>
    /// <exception cref="ExecutionProviderException">The requested execution provider is not available.</exception>
    public static ModelSession Open(string onnxPath, SessionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        if (!File.Exists(onnxPath))
        {
            throw new ModelLoadException(onnxPath,
                $"Model file '{onnxPath}' does not exist; check the path or pull the model again.");
        }
        var model = OnnxModel.Load(onnxPath);
        return Create(model, onnxPath, onnxPath, settings ?? new SessionSettings());
    }

    /// <summary>Opens a model from its serialized bytes (the array is not kept).</summary>
    /// <exception cref="ModelLoadException">The bytes are not ONNX or not loadable by ONNX Runtime.</exception>
    /// <exception cref="ExecutionProviderException">The requested execution provider is not available.</exception>
    public static ModelSession Open(byte[] onnxBytes, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(onnxBytes);
        var model = OnnxModel.Parse(onnxBytes, InMemorySource);
        return Create(model, null, InMemorySource, settings ?? new SessionSettings());
    }

    /// <summary>Opens an already parsed model (it is serialized once; later changes to it do not affect the session).</summary>
    internal static ModelSession Open(OnnxModel model, SessionSettings? settings = null) =>
        Create(model, null, InMemorySource, settings ?? new SessionSettings());

    /// <summary>Opset versions, producer, parameter count, inputs/outputs and operator counts of the loaded model.</summary>
    public ModelInspection Inspect() => _inspection;

    /// <summary>Runs the model on one float input and returns the requested outputs (all of them by default).</summary>
    /// <param name="inputName">The graph input to feed.</param>
    /// <param name="data">Row-major elements, read in place.</param>
    /// <param name="shape">The input's dimensions.</param>
    /// <param name="outputNames">Outputs to compute, or null for all.</param>
    public IReadOnlyList<NamedTensor> Run(string inputName, float[] data, ReadOnlySpan<long> shape,
        IReadOnlyList<string>? outputNames = null) =>
        Run([new NamedTensor(inputName, data, shape.ToArray())], outputNames);

    /// <summary>
    /// Runs the model. Input arrays are handed to ONNX Runtime in place (pinned, not copied); outputs are
    /// copied once into new arrays whose element type follows the model (<c>float[]</c>, <c>long[]</c>, …).
    /// </summary>
    /// <param name="inputs">One tensor per graph input, holding <c>float</c>, <c>double</c>, <c>long</c>,
    /// <c>int</c>, <c>byte</c>, <c>sbyte</c> or <c>bool</c> elements.</param>
    /// <param name="outputNames">Outputs to compute, or null for all.</param>
    /// <exception cref="ArgumentException">An input name, element type or size does not match the model.</exception>
    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(inputs);
        var wanted = outputNames is null || outputNames.Count == 0 ? _allOutputNames : outputNames;
        _recorder?.Invoke(inputs, wanted);
        foreach (var name in wanted)
        {
            if (!_outputNames.Contains(name))
            {
                throw new ArgumentException(
                    $"The model has no output '{name}'; its outputs are: {string.Join(", ", _allOutputNames)}.", nameof(outputNames));
            }
        }

        var names = new string[inputs.Count];
        var values = new OrtValue?[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = CreateInputValue(inputs[i]);
            }
            using var runOptions = new RunOptions();
            using var results = Session.Run(runOptions, names, values!, wanted);
            var tensors = new NamedTensor[results.Count];
            var index = 0;
            foreach (var result in results)
            {
                tensors[index] = ReadOutput(wanted[index], result);
                index++;
            }
            return tensors;
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>Hands every later <see cref="Run(IReadOnlyList{NamedTensor}, IReadOnlyList{string})"/> call's inputs and
    /// output names to <paramref name="recorder"/> until it is set back to null (benchmarks replay them to time ONNX
    /// Runtime alone).</summary>
    internal void SetRecorder(Action<IReadOnlyList<NamedTensor>, IReadOnlyList<string>>? recorder) => _recorder = recorder;

    /// <summary>Releases the native session.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Session.Dispose();
        }
    }

    private static ModelSession Create(OnnxModel model, string? path, string source, SessionSettings settings)
    {
        IReadOnlyList<string> rewrites = [];
        byte[]? bytes = null;
        if (settings.DynamicBatch && model.Inputs.Any(i => i.Shape.Count > 0 && i.Shape[0].IsFixed))
        {
            rewrites = BatchAxisRewriter.Rewrite(model, "batch");
            bytes = model.ToBytes();
        }
        else if (path is null)
        {
            bytes = model.ToBytes();
        }

        if (HasExternalData(model))
        {
            CheckExternalData(model, path, source);
        }
        using var options = CreateOptions(settings);
        if (bytes is not null && path is not null && HasExternalData(model))
        {
            // Loading from memory loses the file's folder, where external tensor files are looked up.
            options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path",
                Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        }

        InferenceSession session;
        try
        {
            session = bytes is null ? new InferenceSession(path!, options) : new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException ex)
        {
            var reason = ex.Message.Split('\n', 2)[0].Trim();
            var opset = model.Opsets.TryGetValue("", out var v) ? $" (opset {v})" : "";
            throw new ModelLoadException(source,
                $"ONNX Runtime cannot load '{source}'{opset}: {reason}; check that the model's opset and operators are " +
                "supported by ONNX Runtime 1.31, or re-export it.", ex);
        }
        try
        {
            return new ModelSession(session, model, rewrites);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static SessionOptions CreateOptions(SessionSettings settings)
    {
        var options = new SessionOptions();
        try
        {
            options.LogSeverityLevel = settings.RuntimeLog ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            options.GraphOptimizationLevel = settings.Optimization switch
            {
                GraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            if (settings.IntraOpThreads > 0)
            {
                options.IntraOpNumThreads = settings.IntraOpThreads;
            }
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.SpinWhileIdle ? "1" : "0");
            if (settings.InterOpThreads > 0)
            {
                options.InterOpNumThreads = settings.InterOpThreads;
            }
            if (settings.Provider == ExecutionProvider.Cuda)
            {
                AppendCuda(options, settings.CudaDeviceId);
            }
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>Checks that the execution provider <paramref name="settings"/> asks for can be used on this machine,
    /// without loading a model, so that a long-running host (the server, a training run) fails at start rather than on
    /// its first model.</summary>
    /// <param name="settings">The settings whose <see cref="SessionSettings.Provider"/> is checked.</param>
    /// <exception cref="ExecutionProviderException">The provider is missing from this ONNX Runtime build, or its device
    /// or libraries cannot be used.</exception>
    public static void RequireProvider(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider == ExecutionProvider.Cpu)
        {
            return;
        }
        using var options = new SessionOptions();
        AppendCuda(options, settings.CudaDeviceId);
    }

    private static void AppendCuda(SessionOptions options, int deviceId)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProviderName, StringComparer.Ordinal))
        {
            throw new ExecutionProviderException(ExecutionProvider.Cuda,
                "CUDA was requested but this ONNX Runtime build has no CUDA execution provider; use a zoo built with -p:ZooCuda=true (ONNX Runtime's Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0 package), or use SessionSettings.Provider = cpu.");
        }
        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            // The CUDA build is here but its provider library could not load its dependencies or find the device.
            var reason = ex.Message.Split('\n', 2)[0].Trim();
            throw new ExecutionProviderException(ExecutionProvider.Cuda,
                $"CUDA device {deviceId} could not be used ({reason}); install the NVIDIA driver and the CUDA 13 libraries ONNX Runtime 1.31's CUDA provider links against (libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcurand.so.10) with cuDNN 9, or use SessionSettings.Provider = cpu.", ex);
        }
    }

    /// <summary>An external tensor file must lie in the model's folder: a location that is absolute or climbs out of
    /// it would make loading a downloaded model read any file the user can read.</summary>
    private static void CheckExternalData(OnnxModel model, string? path, string source)
    {
        var folder = Path.GetFullPath(path is null ? "." : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var tensor in model.Proto.Graph.Initializer.Where(t => t.DataLocation == Onnx.Proto.TensorProto.Types.DataLocation.External))
        {
            var location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "";
            var full = location.Length == 0 || location.Contains(':') || location.StartsWith('/') || location.StartsWith('\\') || Path.IsPathRooted(location)
                ? null
                : Path.GetFullPath(Path.Combine(folder, location.Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar)));
            if (full is null || !full.StartsWith(prefix, comparison))
            {
                throw new ModelLoadException(source,
                    $"Tensor '{tensor.Name}' of '{source}' keeps its data in '{location}', outside the model's folder; external data files must sit beside the model, re-export it.");
            }
        }
    }

    private static bool HasExternalData(OnnxModel model) =>
        model.Proto.Graph.Initializer.Any(t => t.DataLocation == Onnx.Proto.TensorProto.Types.DataLocation.External);

    private OrtValue CreateInputValue(NamedTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_inputsByName.TryGetValue(input.Name, out var info))
        {
            throw new ArgumentException(
                $"The model has no input '{input.Name}'; its inputs are: {string.Join(", ", _inputsByName.Keys)}.", nameof(input));
        }
        if (input.ElementCount != input.Data.Length)
        {
            throw new ArgumentException(
                $"Input '{input.Name}' has {input.Data.Length} elements but shape [{string.Join(",", input.Shape)}] needs {input.ElementCount}.",
                nameof(input));
        }
        var shape = input.Shape;
        if (shape.Length != info.Shape.Count
            || shape.Where((d, i) => info.Shape[i] >= 0 && info.Shape[i] != d).Any())
        {
            throw new ArgumentException(
                $"Input '{input.Name}' has shape [{string.Join(",", shape)}] but the model expects {info}; " +
                "reshape the data, or open the model with DynamicBatch to vary the batch size.", nameof(input));
        }
        OrtValue value = input.Data switch
        {
            float[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
            double[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
            long[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
            int[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
            // The CLR lets an sbyte[] pass as byte[] (and back), so the exact array type decides.
            byte[] a when a.GetType() == typeof(byte[]) => OrtValue.CreateTensorValueFromMemory(a, shape),
            sbyte[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
            bool[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
            _ => throw new ArgumentException(
                $"Input '{input.Name}' holds {input.Data.GetType().Name}, which this wrapper cannot feed; use Session directly.",
                nameof(input)),
        };
        var given = ElementName(value.GetTensorTypeAndShape().ElementDataType);
        if (given != info.ElementType)
        {
            value.Dispose();
            throw new ArgumentException(
                $"Input '{input.Name}' expects {info.ElementType} elements but {given} were given.", nameof(input));
        }
        return value;
    }

    private static NamedTensor ReadOutput(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            throw new NotSupportedException(
                $"Output '{name}' is a {value.OnnxType} value, not a tensor; read it through Session directly.");
        }
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        Array data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
            TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
            TensorElementType.Int8 => value.GetTensorDataAsSpan<sbyte>().ToArray(),
            TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
            TensorElementType.String => value.GetStringTensorAsArray(),
            var other => throw new NotSupportedException(
                $"Output '{name}' has {ElementName(other)} elements, which this wrapper does not copy; read it through Session directly."),
        };
        return new NamedTensor(name, data, shape);
    }

    private static TensorInfo Describe(string name, NodeMetadata metadata)
    {
        var element = metadata.OnnxValueType switch
        {
            OnnxValueType.ONNX_TYPE_TENSOR => ElementName(metadata.ElementDataType),
            OnnxValueType.ONNX_TYPE_SPARSETENSOR => "sparse_tensor",
            OnnxValueType.ONNX_TYPE_SEQUENCE => "sequence",
            OnnxValueType.ONNX_TYPE_MAP => "map",
            OnnxValueType.ONNX_TYPE_OPTIONAL => "optional",
            _ => "undefined",
        };
        var shape = metadata.IsTensor ? metadata.Dimensions.Select(d => (long)d).ToArray() : [];
        var symbols = new string?[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            var symbol = i < metadata.SymbolicDimensions.Length ? metadata.SymbolicDimensions[i] : null;
            symbols[i] = shape[i] < 0 && !string.IsNullOrEmpty(symbol) ? symbol : null;
        }
        return new TensorInfo(name, element, shape, symbols);
    }

    private static string ElementName(TensorElementType type) => type.ToString().ToLowerInvariant();
}
