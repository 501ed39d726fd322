namespace ModelZoo.Tasks;

/// <summary>
/// Shared preprocess → inference stage of the image tasks: turns images into one batched tensor per
/// the card's <see cref="InputSpec"/>, runs the session and hands back one output row per image.
/// Stateless apart from the session, so one instance may serve concurrent callers.
/// </summary>
internal sealed class ImageBatchRunner
{
    private readonly ModelSession _session;
    private readonly InputSpec _spec;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _imageLength;
    private readonly Catalog.ModelCard? _card;

    /// <param name="session">The open model.</param>
    /// <param name="spec">How images are preprocessed.</param>
    /// <param name="outputName">The output to read; null for the first.</param>
    /// <param name="card">When given, its <c>output.size</c> must match the values per image the output gives, checked
    /// against the declared shape now and against every result.</param>
    public ImageBatchRunner(ModelSession session, InputSpec spec, string? outputName, Catalog.ModelCard? card = null)
    {
        _session = session;
        _spec = spec;
        _inputName = TaskSessions.ImageInput(session, spec).Name;
        _outputName = outputName ?? session.Outputs[0].Name;
        if (!session.Outputs.Any(o => o.Name == _outputName))
        {
            throw ZooErrors.ModelOutputMissing.Raise(
                $"the model has no output named '{_outputName}' (it has {string.Join(", ", session.Outputs.Select(o => o.Name))}); fix output.name in the model card.");
        }
        _imageLength = ImagePreprocessor.TensorLength(spec);
        _card = card?.Output?.Size is null ? null : card;
        var declared = session.Outputs.First(o => o.Name == _outputName).Shape;
        if (declared.Count > 1 && declared.Skip(1).All(d => d > 0))
        {
            CheckRowLength(declared.Skip(1).Aggregate(1L, (n, d) => n * d));
        }
    }

    private void CheckRowLength(long values)
    {
        if (_card?.Output?.Size is { } size && values != size)
        {
            throw ZooErrors.CardOutputSize.Raise(
                $"output '{_outputName}' of '{_card.Handle}' gives {values} values per image, but its card says output.size {size}; fix output.size in the card (to {values}) or check that the card names the right model file.");
        }
    }

    public InputSpec Spec => _spec;

    /// <summary>Runs a batch of decoded images and returns one output row per image.</summary>
    public float[][] Run(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0)
        {
            return [];
        }
        var tensor = new float[images.Count * _imageLength];
        Parallel.For(0, images.Count, i =>
            ImagePreprocessor.WriteTensor(images[i], _spec, tensor.AsSpan(i * _imageLength, _imageLength)));
        return Infer(tensor, images.Count);
    }

    /// <summary>Runs already-preprocessed tensors (<paramref name="count"/> images back to back).</summary>
    public float[][] Infer(float[] tensor, int count)
    {
        var outputs = _session.Run(_inputName, tensor, BatchShape(count), [_outputName]);
        var output = outputs[0];
        var data = output.AsFloats();
        if (output.Shape.Length == 0 || output.Shape[0] != count)
        {
            throw ZooErrors.ModelOutputShape.Raise(
                $"output '{_outputName}' has shape [{string.Join(",", output.Shape)}] for a batch of {count}; the card's output spec does not match this model.");
        }
        var rowLength = data.Length / count;
        CheckRowLength(rowLength);
        var rows = new float[count][];
        for (var i = 0; i < count; i++)
        {
            rows[i] = data.AsSpan(i * rowLength, rowLength).ToArray();
        }
        return rows;
    }

    /// <summary>The model-input tensor of one image.</summary>
    public PreparedImage Preprocess(RgbImage image)
    {
        var slot = GC.AllocateUninitializedArray<float>(_imageLength);
        var transform = ImagePreprocessor.WriteTensor(image, _spec, slot);
        return new PreparedImage(slot, transform, image);
    }

    /// <summary>Runs prepared images (from <see cref="Preprocess"/>) in one inference call; one output row each.</summary>
    public float[][] Infer(IReadOnlyList<PreparedImage> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }
        if (batch.Count == 1)
        {
            // One image's tensor already is the batch (the session only reads it).
            return Infer((float[])batch[0].Tensor, 1);
        }
        var tensor = GC.AllocateUninitializedArray<float>(batch.Count * _imageLength);
        for (var i = 0; i < batch.Count; i++)
        {
            ((float[])batch[i].Tensor).CopyTo(tensor.AsSpan(i * _imageLength));
        }
        return Infer(tensor, batch.Count);
    }

    private long[] BatchShape(int count) => _spec.Layout == TensorLayout.Nchw
        ? [count, Channels, _spec.Height, _spec.Width]
        : [count, _spec.Height, _spec.Width, Channels];

    private int Channels => _spec.ColorOrder == ColorOrder.Gray ? 1 : 3;
}
