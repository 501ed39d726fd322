using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Writes the QDQ graph of a plan: uint8 asymmetric QuantizeLinear/DequantizeLinear pairs on the planned activations,
/// int8 symmetric weights (per output channel for Conv), and int32 biases at scale input × weight — the U8S8 form
/// ONNX Runtime's x86 CPU provider turns into QLinearConv / integer GEMM kernels.
/// </summary>
internal static class QdqRewriter
{
    public static (int Tensors, int Weights) Rewrite(GraphProto graph, QuantizationPlan plan, IReadOnlyDictionary<string, (float Low, float High)> ranges)
    {
        AbsorbFusedRelus(graph, plan);
        var index = new GraphIndex(graph);
        var parameters = AddActivationParameters(graph, index, plan, ranges);
        var quantized = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        foreach (var input in graph.Input)
        {
            EmitQuantize(index, parameters, quantized, nodes, input.Name);
        }

        var weights = 0;
        foreach (var node in graph.Node.ToList())
        {
            var integer = plan.IntegerNodes.Contains(node);
            var activation = QuantizationPlan.ActivationInputs(node).FirstOrDefault() ?? "";
            DequantizeInputs(index, plan, parameters, quantized, nodes, node, integer);
            if (integer && node.OpType is "Conv" or "Gemm" or "MatMul")
            {
                QuantizeWeights(graph, index, node, parameters[activation].ScaleValue, nodes);
                weights++;
            }
            nodes.Add(node);
            foreach (var output in node.Output)
            {
                EmitQuantize(index, parameters, quantized, nodes, output);
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        BatchNormFolder.RemoveUnusedInitializers(graph);
        return (parameters.Count, weights);
    }

    /// <summary>Absorbs each fused Relu: its producer writes the Relu's output name, and the uint8 QuantizeLinear
    /// (zero point 0) clamps.</summary>
    private static void AbsorbFusedRelus(GraphProto graph, QuantizationPlan plan)
    {
        var index = new GraphIndex(graph);
        foreach (var (reluOutput, relu) in plan.FusedRelus)
        {
            var producer = index.Producer(relu.Input[0])!;
            producer.Output[0] = reluOutput;
            graph.Node.Remove(relu);
        }
    }

    /// <summary>Adds one uint8 scale and zero point per planned activation, from its calibrated range widened to hold 0.</summary>
    private static Dictionary<string, (string Scale, string ZeroPoint, float ScaleValue)> AddActivationParameters(GraphProto graph, GraphIndex index,
        QuantizationPlan plan, IReadOnlyDictionary<string, (float Low, float High)> ranges)
    {
        var parameters = new Dictionary<string, (string Scale, string ZeroPoint, float ScaleValue)>(StringComparer.Ordinal);
        foreach (var tensor in plan.Tensors)
        {
            var (low, high) = ranges[tensor];
            low = MathF.Min(low, 0f);
            high = MathF.Max(high, 0f);
            var scale = (high - low) / 255f;
            if (!(scale > 1e-12f) || !float.IsFinite(scale))
            {
                scale = 1f;
            }
            var zeroPoint = (byte)Math.Clamp(MathF.Round(-low / scale), 0, 255);
            var scaleName = index.UniqueName(tensor + "_scale");
            var zeroName = index.UniqueName(tensor + "_zero_point");
            graph.Initializer.Add(TensorData.Float(scaleName, [scale]));
            graph.Initializer.Add(TensorData.Uint8(zeroName, [zeroPoint]));
            parameters[tensor] = (scaleName, zeroName, scale);
        }
        return parameters;
    }

    private static void EmitQuantize(GraphIndex index, Dictionary<string, (string Scale, string ZeroPoint, float ScaleValue)> parameters,
        Dictionary<string, string> quantized, List<NodeProto> nodes, string tensor)
    {
        if (parameters.TryGetValue(tensor, out var p) && !quantized.ContainsKey(tensor))
        {
            var output = index.UniqueName(tensor + "_quantized");
            nodes.Add(Node("QuantizeLinear", tensor + "_QuantizeLinear", [tensor, p.Scale, p.ZeroPoint], output));
            quantized[tensor] = output;
        }
    }

    private static void DequantizeInputs(GraphIndex index, QuantizationPlan plan, Dictionary<string, (string Scale, string ZeroPoint, float ScaleValue)> parameters,
        Dictionary<string, string> quantized, List<NodeProto> nodes, NodeProto node, bool integer)
    {
        var dequantized = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < node.Input.Count; i++)
        {
            var input = node.Input[i];
            if (!quantized.TryGetValue(input, out var q) || !(integer || plan.AllConsumersDequantize.Contains(input)))
            {
                continue;
            }
            if (!dequantized.TryGetValue(input, out var dq))
            {
                // One DequantizeLinear per consumer: ONNX Runtime fuses a node group only when its DQ feeds it alone.
                var p = parameters[input];
                dq = index.UniqueName(input + "_dequantized");
                nodes.Add(Node("DequantizeLinear", dq + "_DequantizeLinear", [q, p.Scale, p.ZeroPoint], dq));
                dequantized[input] = dq;
            }
            node.Input[i] = dq;
        }
    }

    private static void QuantizeWeights(GraphProto graph, GraphIndex index, NodeProto node, float inputScale, List<NodeProto> nodes)
    {
        var weight = index.Constant(node.Input[1])!;
        var values = TensorData.Floats(weight);
        // Conv: one scale per output channel (axis 0). Gemm/MatMul: one scale for the matrix, which every integer
        // GEMM path accepts.
        var channels = node.OpType == "Conv" ? (int)weight.Dims[0] : 1;
        var perChannel = values.Length / channels;
        var scales = new float[channels];
        var q = new sbyte[values.Length];
        for (var c = 0; c < channels; c++)
        {
            var max = 0f;
            for (var k = 0; k < perChannel; k++)
            {
                max = MathF.Max(max, MathF.Abs(values[c * perChannel + k]));
            }
            var scale = max > 0 ? max / 127f : 1f;
            scales[c] = scale;
            for (var k = 0; k < perChannel; k++)
            {
                q[c * perChannel + k] = (sbyte)Math.Clamp(MathF.Round(values[c * perChannel + k] / scale), -127, 127);
            }
        }
        var stem = node.Input[1];
        var qName = index.UniqueName(stem + "_quantized");
        var scaleName = index.UniqueName(stem + "_scale");
        var zeroName = index.UniqueName(stem + "_zero_point");
        var dqName = index.UniqueName(stem + "_dequantized");
        graph.Initializer.Add(TensorData.Int8(qName, q, weight.Dims.ToArray()));
        var perAxis = channels > 1 || node.OpType == "Conv";
        graph.Initializer.Add(perAxis ? TensorData.Float(scaleName, scales, channels) : TensorData.Float(scaleName, scales));
        graph.Initializer.Add(perAxis ? TensorData.Int8(zeroName, new sbyte[channels], channels) : TensorData.Int8(zeroName, [0]));
        var dq = Node("DequantizeLinear", dqName + "_DequantizeLinear", [qName, scaleName, zeroName], dqName);
        if (perAxis)
        {
            dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        }
        nodes.Add(dq);
        node.Input[1] = dqName;

        if (node.OpType is "Conv" or "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            var bias = TensorData.Floats(index.Constant(node.Input[2])!);
            var biasScales = new float[bias.Length];
            var qb = new int[bias.Length];
            for (var i = 0; i < bias.Length; i++)
            {
                biasScales[i] = inputScale * scales[channels > 1 ? i : 0];
                qb[i] = (int)Math.Clamp(Math.Round(bias[i] / (double)biasScales[i]), int.MinValue + 1, int.MaxValue);
            }
            var biasStem = node.Input[2];
            var bq = index.UniqueName(biasStem + "_quantized");
            var bs = index.UniqueName(biasStem + "_scale");
            var bz = index.UniqueName(biasStem + "_zero_point");
            var bdq = index.UniqueName(biasStem + "_dequantized");
            graph.Initializer.Add(TensorData.Int32(bq, qb, bias.Length));
            graph.Initializer.Add(TensorData.Float(bs, biasScales, bias.Length));
            graph.Initializer.Add(TensorData.Int32(bz, new int[bias.Length], bias.Length));
            var biasDq = Node("DequantizeLinear", bdq + "_DequantizeLinear", [bq, bs, bz], bdq);
            biasDq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
            nodes.Add(biasDq);
            node.Input[2] = bdq;
        }
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
