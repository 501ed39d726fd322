namespace ModelZoo.Cli.Commands;

/// <summary>What <c>zoo import tfjs|tflite</c>'s description flags say the imported model is: its task (null when only
/// the source, a catalog model's own file, can say it) and the model-file options (labels, normalisation, size,
/// decoder, licence).</summary>
/// <param name="Task">The task given with <c>--task</c>.</param>
/// <param name="Options">The other flags.</param>
internal sealed record ImportDescription(ModelTask? Task, LocalCardOptions Options);
