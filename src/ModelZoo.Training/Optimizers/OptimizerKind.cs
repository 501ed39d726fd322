namespace ModelZoo.Training.Optimizers;

/// <summary>Which update rule a trainer builds.</summary>
public enum OptimizerKind
{
    /// <summary>Adam with bias correction and decoupled weight decay (AdamW); see <see cref="AdamOptimizer"/>.</summary>
    Adam,

    /// <summary>Stochastic gradient descent with momentum and L2 weight decay; see <see cref="SgdOptimizer"/>.</summary>
    Sgd,
}
