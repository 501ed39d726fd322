using static ModelZoo.Training.OptionCheck;

namespace ModelZoo.Training.Heads;

/// <summary>How <see cref="LinearHeadSolver"/> fits a linear head. Immutable; call <see cref="Validate"/> to check values.</summary>
public sealed record LinearHeadSolverOptions
{
    /// <summary>
    /// The L2 strengths tried, strongest first: the penalty is <c>λ/2 · ‖W‖²</c> on the loss <em>summed</em> over the
    /// fit's images (the convention of most L-BFGS logistic-regression trainers), so a fit on more images is
    /// regularised relatively less. Weights act on standardised features when <see cref="StandardizeFeatures"/> is on.
    /// </summary>
    public IReadOnlyList<double> L2Grid { get; init; } = [100, 30, 10, 3, 1, 0.3, 0.1, 0.03, 0.01];

    /// <summary>Folds of the cross-validation that chooses λ when the validation split is small or absent.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// Fewest validation images for λ to be chosen on the validation split; with fewer (or none) it is chosen by
    /// <see cref="Folds"/>-fold cross-validation on the training images, which is steadier on small data.
    /// </summary>
    public int MinimumValidationRows { get; init; } = 100;

    /// <summary>
    /// Choose λ by held-out accuracy (ties broken by the lower held-out loss) instead of by held-out loss alone.
    /// </summary>
    public bool SelectByAccuracy { get; init; }

    /// <summary>Largest gradient component at which a fit counts as converged.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Most L-BFGS iterations per fit.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>
    /// Fit on features standardised by the training rows' mean and standard deviation (the variance is floored at a
    /// thousandth of the mean variance, so that near-constant features are not blown up). The transform is folded into
    /// the returned head, which takes raw features.
    /// </summary>
    public bool StandardizeFeatures { get; init; } = true;

    /// <summary>Refit the chosen λ on training and validation rows together for the returned <see cref="LinearHeadSolution.Head"/>.</summary>
    public bool RefitOnAllRows { get; init; } = true;

    /// <summary>Weight each class by <c>N / (C · count)</c> in the loss.</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Label smoothing ε in [0, 1).</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Most threads one evaluation may use; results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws a <see cref="ZooUsageException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(L2Grid is { Count: > 0 } && L2Grid.All(l => l > 0 && double.IsFinite(l)), "L2Grid needs at least one positive, finite strength, e.g. [1, 0.1].");
        Require(Folds >= 2, $"Folds is {Folds}; set at least 2.");
        Require(MinimumValidationRows >= 1, $"MinimumValidationRows is {MinimumValidationRows}; set at least 1.");
        Require(Tolerance > 0 && double.IsFinite(Tolerance), $"Tolerance is {Tolerance}; set a small positive value such as 1e-6.");
        Require(MaxIterations >= 1, $"MaxIterations is {MaxIterations}; set at least 1.");
        Require(LabelSmoothing >= 0f && LabelSmoothing < 1f, $"LabelSmoothing is {LabelSmoothing}; set a value in [0, 1).");
        Require(MaxDegreeOfParallelism >= 1, $"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; set at least 1.");
    }
}
