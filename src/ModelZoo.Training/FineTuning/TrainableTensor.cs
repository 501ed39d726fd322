namespace ModelZoo.Training.FineTuning;

/// <summary>One weight tensor of the base model that fine-tuning trains.</summary>
/// <param name="Name">The initializer's name in the base model (the exported model keeps it).</param>
/// <param name="Dims">Its shape.</param>
/// <param name="Node">The node that reads it.</param>
/// <param name="ApplyWeightDecay">False for biases and batch-normalisation scale and shift.</param>
public sealed record TrainableTensor(string Name, IReadOnlyList<long> Dims, string Node, bool ApplyWeightDecay)
{
    /// <summary>Number of values.</summary>
    public long Length => Dims.Aggregate(1L, (n, d) => n * d);
}
