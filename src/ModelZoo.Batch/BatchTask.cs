using ModelZoo.Catalog;

namespace ModelZoo.Batch;

/// <summary>What a batch job computes per image.</summary>
public enum BatchTask
{
    /// <summary>A feature vector (<c>zoo embed</c>), from an image-feature-vector model.</summary>
    Embed,

    /// <summary>The top-5 classes (<c>zoo classify</c>), from an image-classification model.</summary>
    Classify,

    /// <summary>Labelled boxes (<c>zoo detect</c>), from an object-detection model.</summary>
    Detect,
}

/// <summary>Names and model tasks of <see cref="BatchTask"/>.</summary>
public static class BatchTasks
{
    /// <summary>The task's name on the command line and in messages: <c>embed</c>, <c>classify</c>, <c>detect</c>.</summary>
    public static string Name(this BatchTask task) => task switch
    {
        BatchTask.Embed => "embed",
        BatchTask.Classify => "classify",
        _ => "detect",
    };

    /// <summary>The catalog task a model must have to run <paramref name="task"/>.</summary>
    public static ModelTask ModelTask(this BatchTask task) => task switch
    {
        BatchTask.Embed => Catalog.ModelTask.ImageFeatureVector,
        BatchTask.Classify => Catalog.ModelTask.ImageClassification,
        _ => Catalog.ModelTask.ObjectDetection,
    };

    /// <summary>Parses a task name.</summary>
    /// <exception cref="ZooUsageException">Not one of embed, classify, detect.</exception>
    public static BatchTask Parse(string? name) => name switch
    {
        "embed" => BatchTask.Embed,
        "classify" => BatchTask.Classify,
        "detect" => BatchTask.Detect,
        _ => throw new ZooUsageException($"BatchTasks.Parse name must be embed, classify or detect, got '{name}'."),
    };
}
