namespace ModelZoo.Training.Transfer;

/// <summary>File names of what a transfer-learning run writes into its output folder.</summary>
public static class TransferArtifacts
{
    /// <summary>The exported classifier (backbone + head + softmax, preprocessing inside).</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The model card, also registered in the user catalog.</summary>
    public const string CardFile = "card.json";

    /// <summary>Class names, one per line, in output order.</summary>
    public const string LabelsFile = "labels.txt";

    /// <summary>Training history (<see cref="Heads.TrainingHistory.CsvHeader"/>).</summary>
    public const string HistoryFile = "history.csv";

    /// <summary>Headline metrics, classes, cache use and timings as JSON.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>Loss and accuracy curves.</summary>
    public const string CurvesFile = "curves.png";

    /// <summary>Validation confusion matrix.</summary>
    public const string ConfusionFile = "confusion.png";

    /// <summary>Validation prediction grid.</summary>
    public const string GridFile = "grid.png";

    /// <summary>Self-contained HTML report.</summary>
    public const string ReportFile = "report.html";
}
