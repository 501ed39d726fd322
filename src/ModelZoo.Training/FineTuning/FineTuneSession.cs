using ModelZoo.Runtime;
using ModelZoo.Training.FineTuning.Gradients;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.FineTuning;

/// <summary>
/// The two ONNX Runtime sessions of a fine-tuning run over one <see cref="SuffixGraph"/>: forward + backward (logits and
/// every parameter's gradient) and forward only (logits). Parameters are inputs, fed from <see cref="Parameters"/> on
/// every call, so optimizer updates take effect without rebuilding a session.
/// </summary>
internal sealed class FineTuneSession : IDisposable
{
    private readonly ModelSession _training;
    private readonly ModelSession _inference;
    private readonly long[] _activationShape;
    private readonly int _classes;
    private readonly List<string> _gradientOutputs;

    public FineTuneSession(SuffixGraph suffix, ClassificationHead head, SessionSettings settings)
    {
        var local = settings with { DynamicBatch = false };
        var parameters = new List<Parameter>();
        var values = suffix.InitialValues();
        for (var i = 0; i < suffix.Plan.Parameters.Count; i++)
        {
            var p = suffix.Plan.Parameters[i];
            parameters.Add(new Parameter(p.Name, values[i], p.ApplyWeightDecay));
        }

        for (var i = 0; i < head.Layers.Count; i++)
        {
            parameters.Add(new Parameter($"head/{i}/weight", (float[])head.Layers[i].Weight.Clone()));
            parameters.Add(new Parameter($"head/{i}/bias", (float[])head.Layers[i].Bias.Clone(), applyWeightDecay: false));
        }

        Parameters = parameters;
        _shapes = parameters.Select(p => ShapeOf(suffix, head, p.Name)).ToList();
        _activationShape = [0, .. suffix.Plan.ActivationShape];
        _classes = head.ClassCount;
        _gradientOutputs = [SuffixGraph.LogitsOutput, .. parameters.Select(p => GradientModel.GradientPrefix + p.Name)];
        _training = ModelSession.Open(suffix.BuildModel(head.Layers, training: true), local);
        try
        {
            _inference = ModelSession.Open(suffix.BuildModel(head.Layers, training: false), local);
        }
        catch
        {
            _training.Dispose();
            throw;
        }

        Head = head;
    }

    private readonly List<long[]> _shapes;

    /// <summary>Suffix tensors, then each head layer's weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The head the session was built for (its shape; values live in <see cref="Parameters"/>).</summary>
    public ClassificationHead Head { get; }

    /// <summary>Runs forward and backward on <paramref name="rows"/> activations; writes every gradient and returns the logits.</summary>
    public float[] Step(float[] activations, int rows, float[] targets, float[] rowWeights)
    {
        var inputs = Feeds(activations, rows);
        inputs.Add(new NamedTensor(SuffixGraph.TargetsInput, targets, [rows, _classes]));
        inputs.Add(new NamedTensor(SuffixGraph.WeightsInput, rowWeights, [rows, 1]));
        var outputs = _training.Run(inputs, _gradientOutputs);
        for (var i = 0; i < Parameters.Count; i++)
        {
            outputs[i + 1].AsFloats().CopyTo(Parameters[i].Gradient, 0);
        }

        return outputs[0].AsFloats();
    }

    /// <summary>Logits of <paramref name="rows"/> activations with the current parameters.</summary>
    public float[] Logits(float[] activations, int rows) => _inference.Run(Feeds(activations, rows), [SuffixGraph.LogitsOutput])[0].AsFloats();

    /// <summary>The head with the current parameter values.</summary>
    public ClassificationHead CurrentHead()
    {
        var offset = Parameters.Count - (2 * Head.Layers.Count);
        var layers = Head.Layers.Select((l, i) => l with
        {
            Weight = (float[])Parameters[offset + (2 * i)].Value.Clone(),
            Bias = (float[])Parameters[offset + (2 * i) + 1].Value.Clone(),
        }).ToList();
        return new ClassificationHead(Head.Kind, layers);
    }

    public void Dispose()
    {
        _training.Dispose();
        _inference.Dispose();
    }

    private List<NamedTensor> Feeds(float[] activations, int rows)
    {
        var shape = (long[])_activationShape.Clone();
        shape[0] = rows;
        var inputs = new List<NamedTensor> { new(SuffixGraph.ActivationsInput, activations, shape) };
        for (var i = 0; i < Parameters.Count; i++)
        {
            inputs.Add(new NamedTensor(Parameters[i].Name, Parameters[i].Value, _shapes[i]));
        }

        return inputs;
    }

    private static long[] ShapeOf(SuffixGraph suffix, ClassificationHead head, string name)
    {
        if (suffix.Plan.Parameters.FirstOrDefault(p => p.Name == name) is { } p)
        {
            return [.. p.Dims];
        }

        var parts = name.Split('/');
        var layer = head.Layers[int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)];
        return parts[2] == "weight" ? [layer.Rows, layer.Cols] : [layer.Rows];
    }
}
