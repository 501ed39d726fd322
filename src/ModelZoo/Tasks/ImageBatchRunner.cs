using System.Runtime.CompilerServices;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;

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

    /// <summary>
    /// Decodes and preprocesses files on worker threads while the previous batch is in inference, and
    /// yields results in input order. A file that cannot be decoded yields an error instead of stopping the run.
    /// </summary>
    public async IAsyncEnumerable<ImageOutcome<float[]>> RunFilesAsync(
        IReadOnlyList<string> paths, int batchSize, ImageDecodeOptions? decodeOptions,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (batchSize < 1)
        {
            throw new ZooUsageException($"batch size must be at least 1, got {batchSize}; pass ImageTaskOptions.BatchSize 1 or more.");
        }
        var batches = paths.Chunk(batchSize).ToList();
        if (batches.Count == 0)
        {
            yield break;
        }
        var next = Task.Run(() => Prepare(batches[0], decodeOptions, ct), ct);
        for (var b = 0; b < batches.Count; b++)
        {
            var prepared = await next.ConfigureAwait(false);
            if (b + 1 < batches.Count)
            {
                var following = batches[b + 1];
                next = Task.Run(() => Prepare(following, decodeOptions, ct), ct);
            }
            var rows = prepared.Count > 0 ? Infer(prepared.Tensor, prepared.Count) : [];
            var row = 0;
            for (var i = 0; i < prepared.Items.Length; i++)
            {
                ct.ThrowIfCancellationRequested();
                var item = prepared.Items[i];
                yield return item.Error is null
                    ? new ImageOutcome<float[]>(item.Path, rows[row++], item.Width, item.Height, item.Transform, null)
                    : new ImageOutcome<float[]>(item.Path, null, 0, 0, default, item.Error);
            }
        }
    }

    private PreparedBatch Prepare(string[] paths, ImageDecodeOptions? decodeOptions, CancellationToken ct)
    {
        var items = new PreparedItem[paths.Length];
        Parallel.For(0, paths.Length, new ParallelOptions { CancellationToken = ct }, i =>
        {
            try
            {
                using var image = ImageDecoder.Decode(paths[i], decodeOptions);
                var slot = new float[_imageLength];
                var transform = ImagePreprocessor.WriteTensor(image, _spec, slot);
                items[i] = new PreparedItem(paths[i], slot, image.Width, image.Height, transform, null);
            }
            catch (ZooException ex)
            {
                // ImageDecoder reports missing and unreadable files as ImageDecodeException too.
                items[i] = new PreparedItem(paths[i], null, 0, 0, default, ex);
            }
        });
        var ok = items.Where(x => x.Error is null).ToArray();
        var tensor = new float[ok.Length * _imageLength];
        for (var i = 0; i < ok.Length; i++)
        {
            ok[i].Tensor!.CopyTo(tensor.AsSpan(i * _imageLength));
        }
        return new PreparedBatch(items, tensor, ok.Length);
    }

    private long[] BatchShape(int count) => _spec.Layout == TensorLayout.Nchw
        ? [count, Channels, _spec.Height, _spec.Width]
        : [count, _spec.Height, _spec.Width, Channels];

    private int Channels => _spec.ColorOrder == ColorOrder.Gray ? 1 : 3;

    private sealed record PreparedItem(string Path, float[]? Tensor, int Width, int Height, ImageTransform Transform, ZooException? Error);

    private sealed record PreparedBatch(PreparedItem[] Items, float[] Tensor, int Count);
}
