namespace ModelZoo.Training.Heads;

/// <summary>One L2 strength tried by <see cref="LinearHeadSolver.Solve"/> and how it scored.</summary>
/// <param name="L2">Strength λ on the summed loss.</param>
/// <param name="Loss">Mean held-out cross-entropy (validation split, or pooled over the cross-validation folds).</param>
/// <param name="Accuracy">Held-out accuracy on the same rows.</param>
public sealed record L2Candidate(double L2, double Loss, double Accuracy);
