namespace ModelZoo.Tasks;

/// <summary>The names tasks have in model cards and on the command line (<c>object-detection</c>, …).</summary>
public static class TaskNames
{
    /// <summary>The card name of <paramref name="task"/> (its JSON name).</summary>
    public static string Of(ModelTask task) => JsonSerializer.Serialize(task).Trim('"');
}
