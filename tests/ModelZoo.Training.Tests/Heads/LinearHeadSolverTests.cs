using ModelZoo.Training.Heads;

namespace ModelZoo.Training.Tests.Heads;

public class LinearHeadSolverTests
{
    /// <summary>
    /// Reference optimum of <c>mean CE(softmax(W x + b), y) + λ/2 ‖W‖²</c> by damped Newton with the exact Hessian,
    /// solved by Gaussian elimination (a small ridge on the biases removes their common-shift null direction).
    /// </summary>
    private static double[] Newton(FeatureSet set, double lambda)
    {
        int n = set.Count, d = set.Dimension, c = set.ClassCount, p = (c * d) + c;
        var theta = new double[p];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var g = new double[p];
            var h = new double[p, p];
            for (int i = 0; i < n; i++)
            {
                var x = new double[d + 1];
                for (int k = 0; k < d; k++)
                {
                    x[k] = set.Features[(i * d) + k];
                }

                x[d] = 1;
                var z = new double[c];
                for (int a = 0; a < c; a++)
                {
                    z[a] = theta[(c * d) + a];
                    for (int k = 0; k < d; k++)
                    {
                        z[a] += theta[(a * d) + k] * x[k];
                    }
                }

                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                var prob = z.Select(v => Math.Exp(v - max) / sum).ToArray();
                for (int a = 0; a < c; a++)
                {
                    double r = (prob[a] - (set.Labels[i] == a ? 1 : 0)) / n;
                    for (int k = 0; k <= d; k++)
                    {
                        g[Index(a, k)] += r * x[k];
                    }

                    for (int b = 0; b < c; b++)
                    {
                        double s = ((a == b ? prob[a] : 0) - (prob[a] * prob[b])) / n;
                        for (int k = 0; k <= d; k++)
                        {
                            for (int l = 0; l <= d; l++)
                            {
                                h[Index(a, k), Index(b, l)] += s * x[k] * x[l];
                            }
                        }
                    }
                }
            }

            for (int j = 0; j < c * d; j++)
            {
                g[j] += lambda * theta[j];
                h[j, j] += lambda;
            }

            for (int j = c * d; j < p; j++)
            {
                h[j, j] += 1e-12;
            }

            var step = Solve(h, g);
            for (int j = 0; j < p; j++)
            {
                theta[j] -= step[j];
            }
        }

        double mean = theta.Skip(c * d).Average();
        for (int j = c * d; j < p; j++)
        {
            theta[j] -= mean;
        }

        return theta;

        int Index(int cls, int k) => k == d ? (c * d) + cls : (cls * d) + k;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }

            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r, col] / m[col, col];
                for (int k = col; k < n; k++)
                {
                    m[r, k] -= f * m[col, k];
                }

                x[r] -= f * x[col];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            for (int k = r + 1; k < n; k++)
            {
                x[r] -= m[r, k] * x[k];
            }

            x[r] /= m[r, r];
        }

        return x;
    }

    [Fact]
    public void Fit_reaches_the_optimum_that_Newton_finds()
    {
        // Overlapping classes with label noise: the optimum is finite and the problem is not trivially separable.
        var set = new GaussianBlobs(classes: 3, dimension: 5, separation: 1f, seed: 4).Sample(20, labelNoise: 0.15f);
        const double l2 = 0.5; // on the summed loss: λ = 0.5 / 60 on the mean

        var fit = new LinearHeadSolver(new LinearHeadSolverOptions { StandardizeFeatures = false, Tolerance = 1e-8 }).Fit(set, l2);
        var reference = Newton(set, l2 / set.Count);

        Assert.True(fit.Converged, $"not converged: gradient {fit.GradientNorm:E2} after {fit.Iterations} iterations");
        Assert.True(fit.GradientNorm <= 1e-8, $"gradient norm {fit.GradientNorm:E2}");
        var layer = fit.Head.Layers[0];
        int d = set.Dimension, c = set.ClassCount;
        for (int j = 0; j < c * d; j++)
        {
            Assert.True(Math.Abs(layer.Weight[j] - reference[j]) < 1e-5, $"weight {j}: {layer.Weight[j]} vs Newton {reference[j]}");
        }

        for (int a = 0; a < c; a++)
        {
            Assert.True(Math.Abs(layer.Bias[a] - reference[(c * d) + a]) < 1e-5, $"bias {a}: {layer.Bias[a]} vs Newton {reference[(c * d) + a]}");
        }
    }

    [Fact]
    public void Fit_with_standardisation_folds_the_scaling_so_the_head_takes_raw_features()
    {
        var blobs = new GaussianBlobs(classes: 4, dimension: 16, separation: 1f, seed: 11);
        var raw = blobs.Sample(30, scale: 40f, offset: 500f);
        var val = blobs.Sample(50, scale: 40f, offset: 500f);

        var fit = new LinearHeadSolver().Fit(raw, 1.0);

        Assert.True(fit.Converged, $"gradient {fit.GradientNorm:E2}");
        Assert.True(fit.Head.Evaluate(val).Accuracy > 0.9, $"accuracy on raw features {fit.Head.Evaluate(val).Accuracy:P1}");
    }

    [Fact]
    public void Solve_is_bit_identical_whatever_the_thread_count()
    {
        var blobs = new GaussianBlobs(classes: 5, dimension: 64, separation: 0.4f, seed: 3);
        var train = blobs.Sample(40);
        var val = blobs.Sample(30);

        var a = new LinearHeadSolver(new LinearHeadSolverOptions { MaxDegreeOfParallelism = 4 }).Solve(train, val);
        var b = new LinearHeadSolver(new LinearHeadSolverOptions { MaxDegreeOfParallelism = 1 }).Solve(train, val);

        Assert.Equal(a.Head.Layers[0].Weight, b.Head.Layers[0].Weight);
        Assert.Equal(a.Head.Layers[0].Bias, b.Head.Layers[0].Bias);
        Assert.Equal(a.SelectionHead.Layers[0].Weight, b.SelectionHead.Layers[0].Weight);
        Assert.Equal(a.L2, b.L2);
        Assert.Equal(a.History.Steps, b.History.Steps);
    }

    [Fact]
    public void Solve_chooses_L2_on_validation_refits_on_all_rows_and_records_one_step_per_iteration()
    {
        var blobs = new GaussianBlobs(classes: 4, dimension: 32, separation: 0.5f, seed: 8);
        var train = blobs.Sample(50);
        var val = blobs.Sample(40);
        var solver = new LinearHeadSolver();

        var solution = solver.Solve(train, val);

        Assert.Equal("validation", solution.Selection);
        Assert.Equal(solver.Options.L2Grid.Count, solution.Candidates.Count);
        Assert.Equal(solution.Candidates.MinBy(x => x.Loss)!.L2, solution.L2);
        Assert.True(solution.Converged);
        // The selection head is the chosen λ fit on the training rows alone…
        var alone = solver.Fit(train, solution.L2);
        Assert.Equal(alone.Head.Evaluate(val).Accuracy, solution.SelectionHead.Evaluate(val).Accuracy, 6);
        // …and the exported head has also seen the validation rows.
        Assert.NotEqual(solution.SelectionHead.Layers[0].Weight, solution.Head.Layers[0].Weight);
        Assert.Equal(solution.Iterations, solution.History.Steps.Count);
        Assert.Equal(Enumerable.Range(1, solution.Iterations), solution.History.Steps.Select(s => s.Step));
        Assert.All(solution.History.Steps, s => Assert.NotNull(s.ValAccuracy));
        Assert.True(solution.History.Steps[^1].Loss < solution.History.Steps[0].Loss);
        Assert.Single(solution.History.Epochs);
    }

    [Fact]
    public void Solve_cross_validates_when_the_validation_split_is_small_keeping_views_with_their_image()
    {
        var blobs = new GaussianBlobs(classes: 3, dimension: 24, separation: 0.5f, seed: 5);
        var images = blobs.Sample(12);
        // Two near-copies of every image, as augmented views would be.
        int n = images.Count, d = images.Dimension;
        var x = new float[3 * n * d];
        var labels = new int[3 * n];
        var groups = new int[3 * n];
        var noise = new Random(1);
        for (int i = 0; i < n; i++)
        {
            for (int v = 0; v < 3; v++)
            {
                int row = (3 * i) + v;
                for (int k = 0; k < d; k++)
                {
                    x[(row * d) + k] = images.Features[(i * d) + k] + (v == 0 ? 0 : (float)(0.05 * (noise.NextDouble() - 0.5)));
                }

                labels[row] = images.Labels[i];
                groups[row] = i;
            }
        }

        var train = new FeatureSet(x, labels, 3 * n, d, 3);
        var val = blobs.Sample(3);

        var solution = new LinearHeadSolver().Solve(train, val, groups);

        Assert.Equal("5-fold cross-validation", solution.Selection);
        Assert.All(solution.Candidates, c => Assert.True(double.IsFinite(c.Loss)));
        Assert.True(solution.Converged);
    }

    [Fact]
    public void Solve_beats_the_old_mini_batch_defaults_on_small_high_dimensional_data()
    {
        // 125 images of 512-d features, as in a small transfer-learning task: a few mini-batch epochs undertrain.
        var blobs = new GaussianBlobs(classes: 6, dimension: 512, separation: 0.12f, seed: 21);
        var train = blobs.Sample(21);
        var val = blobs.Sample(60);

        var solved = new LinearHeadSolver().Solve(train, null).Head.Evaluate(val).Accuracy;
        var old = new HeadTrainer(new HeadTrainingOptions { Epochs = 10, LearningRate = 1e-3f }).Train(train).Head.Evaluate(val).Accuracy;

        Assert.True(solved > old + 0.05, $"solved {solved:P1}, old mini-batch defaults {old:P1}");
    }
}
