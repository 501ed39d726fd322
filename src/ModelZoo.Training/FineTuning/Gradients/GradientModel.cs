using ModelZoo.Onnx.Proto;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>Turns a forward graph into one that also outputs gradients.</summary>
internal static class GradientModel
{
    /// <summary>Prefix of the gradient outputs: <c>zoo_grad:&lt;tensor&gt;</c>.</summary>
    public const string GradientPrefix = "zoo_grad:";

    /// <summary>
    /// Returns a copy of <paramref name="forward"/> whose outputs are its own plus, for every tensor in
    /// <paramref name="wrt"/>, <see cref="GradientPrefix"/> + name = dLoss/dTensor, where the loss's gradient with
    /// respect to each seeded tensor is given by <paramref name="seeds"/> (a graph input or a computed tensor).
    /// </summary>
    /// <param name="forward">The forward model (opset 14 or later); <paramref name="wrt"/> are usually graph inputs.</param>
    /// <param name="shapes">Shapes of the forward tensors in a probe run of batch <see cref="GraphEmitter.ProbeBatch"/>.</param>
    /// <param name="seeds">Tensor → tensor holding dLoss/dTensor.</param>
    /// <param name="wrt">Tensors to differentiate with respect to.</param>
    public static ModelProto Build(ModelProto forward, IReadOnlyDictionary<string, long[]> shapes, IReadOnlyDictionary<string, string> seeds,
        IReadOnlyList<string> wrt)
    {
        var model = forward.Clone();
        var graph = model.Graph;
        var nodes = graph.Node.ToList();
        var emitter = new GraphEmitter(graph, shapes);
        var gradients = BackwardBuilder.Build(emitter, nodes, seeds, wrt);
        foreach (var name in wrt)
        {
            var output = GradientPrefix + name;
            var node = new NodeProto { OpType = "Identity", Name = output + "_node" };
            node.Input.Add(gradients[name]);
            node.Output.Add(output);
            graph.Node.Add(node);
            graph.Output.Add(GraphEmitter.FloatValue(output));
        }

        return model;
    }
}
