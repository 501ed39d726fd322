using System.Numerics.Tensors;

namespace ModelZoo.Training.Optimizers;

/// <summary>Rescales gradients before an optimizer step.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Computes the L2 norm of all gradients taken together and, when it exceeds
    /// <paramref name="maxNorm"/>, scales every gradient by <c>maxNorm / norm</c>.
    /// </summary>
    /// <returns>The global norm before clipping.</returns>
    public static float ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), "The gradient norm limit must be positive.");
        }

        double sumOfSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            sumOfSquares += TensorPrimitives.SumOfSquares<float>(parameters[i].Gradient);
        }

        float norm = (float)Math.Sqrt(sumOfSquares);
        if (norm > maxNorm)
        {
            float scale = maxNorm / norm;
            for (int i = 0; i < parameters.Count; i++)
            {
                TensorPrimitives.Multiply(parameters[i].Gradient, scale, parameters[i].Gradient);
            }
        }

        return norm;
    }
}
