namespace ModelZoo.Training.Heads;

/// <summary>Shape of a classification head trained on backbone features.</summary>
public enum HeadKind
{
    /// <summary>One fully connected layer: <c>logits = W·x + b</c>.</summary>
    Linear,

    /// <summary>Two fully connected layers with ReLU (and dropout while training) between them.</summary>
    Mlp,
}
