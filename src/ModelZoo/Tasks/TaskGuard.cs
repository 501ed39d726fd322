namespace ModelZoo.Tasks;

/// <summary>Checks shared by the task pipelines' <c>Open</c> methods.</summary>
internal static class TaskGuard
{
    /// <summary>Throws a usage error naming the right <c>zoo list</c> filter when the card is for another task.</summary>
    public static void RequireTask(ModelCard card, ModelTask task)
    {
        if (card.Task != task)
        {
            var wanted = TaskNames.Of(task);
            var article = "aeiou".Contains(wanted[0], StringComparison.Ordinal) ? "an" : "a";
            throw new ZooUsageException(
                $"'{card.Handle}' is a {TaskNames.Of(card.Task)} model, not {article} {wanted} model; pick one with `zoo list --task {wanted}`.");
        }
    }

    /// <summary>Class names of the card, or null when it has none.</summary>
    public static (IReadOnlyList<string>? Labels, int Offset) Labels(Store.LocalModel model) =>
        model.Card.Labels is { } spec ? (LabelSets.Load(spec, model.PathOf), spec.Offset) : (null, 0);

    /// <summary>The label of raw output index <paramref name="index"/>.</summary>
    public static string LabelOf(IReadOnlyList<string>? labels, int offset, int index)
    {
        var i = index - offset;
        return labels is not null && i >= 0 && i < labels.Count ? labels[i] : index < offset ? "background" : $"class {index}";
    }
}
