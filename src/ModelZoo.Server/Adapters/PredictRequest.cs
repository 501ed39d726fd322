namespace ModelZoo.Server.Adapters;

/// <summary>One item of a micro-batch: an input and the options its client sent.</summary>
/// <param name="Input">The image or text.</param>
/// <param name="Options">Top-K, score threshold.</param>
public sealed record PredictRequest(ImageOrText Input, PredictOptions Options);
