namespace ModelZoo.Training.Heads;

/// <summary>What <see cref="LinearHeadSolver.Solve"/> produces.</summary>
/// <param name="Head">The head to export: the chosen λ refit on training and validation rows (or the selection head when there is nothing to add).</param>
/// <param name="SelectionHead">The chosen λ fit on the training rows only: the head whose validation figures are honest.</param>
/// <param name="L2">The chosen strength λ (on the summed loss).</param>
/// <param name="Selection">How λ was chosen: <c>validation</c> or <c>k-fold cross-validation</c>.</param>
/// <param name="Candidates">Every strength tried with its held-out score, strongest first.</param>
/// <param name="History">One step per L-BFGS iteration of the selection fit (training loss and accuracy, validation loss and accuracy when there is a validation set) and one epoch for the whole solve.</param>
/// <param name="Iterations">L-BFGS iterations of the selection fit.</param>
/// <param name="GradientNorm">Largest gradient component of the exported head's fit.</param>
/// <param name="Converged">Whether the selection and refit both reached the tolerance.</param>
public sealed record LinearHeadSolution(ClassificationHead Head, ClassificationHead SelectionHead, double L2, string Selection,
    IReadOnlyList<L2Candidate> Candidates, TrainingHistory History, int Iterations, double GradientNorm, bool Converged)
{
    /// <summary>The solution as a <see cref="HeadTrainingResult"/> (one epoch) for code that reports mini-batch runs.</summary>
    public HeadTrainingResult ToTrainingResult() => new(Head, History, 1, false);
}
