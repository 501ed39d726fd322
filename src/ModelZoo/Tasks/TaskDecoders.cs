namespace ModelZoo.Tasks;

/// <summary>The decoder names each task's pipeline has, for checking cards before they are used.</summary>
internal static class TaskDecoders
{
    /// <summary>The names <c>output.decoder</c> may take for <paramref name="task"/>, or null when the task keeps no
    /// decoder table (its outputs are read without one, or by a pipeline of its own).</summary>
    /// <remarks>Face attributes have a table but no descriptor: they run as companions of face detection.</remarks>
    public static IReadOnlyList<string>? NamesFor(ModelTask task) =>
        task == ModelTask.FaceAttributes ? FaceAttributes.DecoderTable.Names : TaskRegistry.Default.Find(task)?.Decoders;
}
