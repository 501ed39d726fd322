using ModelZoo.Onnx;

namespace ModelZoo.Training.Transfer;

/// <summary>What a run extracts once per image: <paramref name="Model"/>'s output, cached under <paramref name="CacheTensor"/>.</summary>
/// <param name="Model">The frozen model (the headless backbone, or the prefix below a fine-tuning split).</param>
/// <param name="CacheTensor">The tensor the cached vectors are filed under.</param>
/// <param name="Name">What its outputs are called in timings and messages, e.g. <c>backbone</c>.</param>
/// <param name="PrepareTiming">The timing entry of the preparation, e.g. <c>prepare (load data, open and cut base model)</c>.</param>
internal sealed record FrozenPart(HeadlessModel Model, string CacheTensor, string Name, string PrepareTiming);
