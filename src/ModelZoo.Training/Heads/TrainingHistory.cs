using System.Text;

namespace ModelZoo.Training.Heads;

/// <summary>Records of a training run, in order.</summary>
public sealed class TrainingHistory
{
    /// <summary>Header of <see cref="WriteCsv(TextWriter)"/>.</summary>
    public const string CsvHeader = "kind,epoch,step,loss,accuracy,val_loss,val_accuracy,learning_rate,elapsed_s";

    private readonly List<StepRecord> _steps = [];
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>Every optimizer step.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Every finished epoch.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>Writes the history as one CSV file; see <see cref="WriteCsv(TextWriter)"/>.</summary>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        WriteCsv(writer);
    }

    /// <summary>
    /// Writes <see cref="CsvHeader"/> then one row per step (<c>kind = step</c>; elapsed empty, validation
    /// columns empty unless the step measured them) and one row per epoch (<c>kind = epoch</c>; <c>step</c> is the last step of the
    /// epoch, <c>loss</c>/<c>accuracy</c> are the training figures). Invariant culture, <c>\n</c> line ends.
    /// </summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(CsvHeader);
        writer.Write('\n');
        foreach (StepRecord s in _steps)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"step,{s.Epoch},{s.Step},{s.Loss:R},{s.Accuracy:R},{s.ValLoss:R},{s.ValAccuracy:R},{s.LearningRate:R},\n"));
        }

        int stepsSoFar = 0;
        foreach (EpochRecord e in _epochs)
        {
            while (stepsSoFar < _steps.Count && _steps[stepsSoFar].Epoch <= e.Epoch)
            {
                stepsSoFar++;
            }

            int lastStep = stepsSoFar == 0 ? 0 : _steps[stepsSoFar - 1].Step;
            writer.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"epoch,{e.Epoch},{lastStep},{e.TrainLoss:R},{e.TrainAccuracy:R},{e.ValLoss:R},{e.ValAccuracy:R},{e.LearningRate:R},{e.Elapsed.TotalSeconds:0.###}\n"));
        }
    }

    internal void Add(StepRecord step) => _steps.Add(step);

    internal void Add(EpochRecord epoch) => _epochs.Add(epoch);
}
