namespace ModelZoo.Training.Heads;

/// <summary>One solved fit of <see cref="LinearHeadSolver.Fit"/>.</summary>
/// <param name="Head">The head (taking raw features).</param>
/// <param name="Objective">Value of the regularised objective at the solution (mean loss plus penalty).</param>
/// <param name="GradientNorm">Largest gradient component at the solution.</param>
/// <param name="Iterations">L-BFGS iterations taken.</param>
/// <param name="Converged">Whether the gradient reached the tolerance.</param>
public sealed record LinearHeadFit(ClassificationHead Head, double Objective, double GradientNorm, int Iterations, bool Converged);
