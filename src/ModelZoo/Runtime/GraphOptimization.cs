namespace ModelZoo.Runtime;

/// <summary>How much ONNX Runtime rewrites the graph before running it.</summary>
public enum GraphOptimization
{
    /// <summary>No graph optimizations.</summary>
    None,

    /// <summary>Semantics-preserving node removals and constant folding.</summary>
    Basic,

    /// <summary>Basic plus complex node fusions.</summary>
    Extended,

    /// <summary>Everything, including layout optimizations.</summary>
    All,
}
