using System.Runtime.CompilerServices;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;

namespace ModelZoo.Tasks;

/// <summary>
/// Preprocess → inference stage for the tasks whose models have several outputs (detection, pose, faces,
/// segmentation): one image at a time, in the element type the graph's input declares (<c>float</c>,
/// <c>uint8</c> or <c>int32</c>), returning every output. Keeps no per-call state, so one instance may serve
/// concurrent callers.
/// </summary>
internal sealed class ImageModelRunner
{
    private readonly ModelSession _session;
    private readonly ModelCard _card;
    private readonly InputSpec _spec;
    private readonly string _inputName;
    private readonly string _elementType;
    private readonly bool _unbatched;
    private readonly NamedTensor[] _extraInputs;

    public ImageModelRunner(ModelSession session, ModelCard card)
    {
        _session = session;
        _card = card;
        _spec = FeatureExtractor.RequireInput(card);
        var input = TaskSessions.ImageInput(session, _spec);
        _inputName = input.Name;
        _elementType = input.ElementType;
        if (_elementType is not ("float" or "uint8" or "int32"))
        {
            throw ZooErrors.ModelInputType.Raise(
                $"input '{_inputName}' of '{card.Handle}' takes {_elementType} elements; image tasks feed float, uint8 or int32, so re-export the model with one of those.");
        }
        // Detectron-style graphs (Faster/Mask R-CNN) take one image as [3, H, W] without a batch dimension.
        _unbatched = input.Shape.Count == 3;
        _extraInputs = session.Inputs.Where(i => i.Name != _inputName).Select(i => ExtraInput(i, _spec, card)).ToArray();
    }

    /// <summary>
    /// A second input the pipeline can fill: an image-size input such as keras-yolo3's <c>image_shape</c>
    /// (<c>[1, 2]</c> float, height then width). It gets the model-input size, so the graph's boxes come out in
    /// model-input pixels and map back through the preprocessing transform like every other detector's.
    /// </summary>
    private static NamedTensor ExtraInput(TensorInfo info, InputSpec spec, ModelCard card)
    {
        var elements = info.Shape.Aggregate(1L, (a, d) => a * Math.Max(d, 1));
        if (info.Name.Contains("shape", StringComparison.OrdinalIgnoreCase) && elements == 2 && info.Shape.Count is 1 or 2)
        {
            long[] shape = info.Shape.Count == 1 ? [2] : [1, 2];
            Array data = info.ElementType switch
            {
                "float" => new float[] { spec.Height, spec.Width },
                "int32" => new int[] { spec.Height, spec.Width },
                "int64" => new long[] { spec.Height, spec.Width },
                _ => throw UnknownInput(info, card),
            };
            return new NamedTensor(info.Name, data, shape);
        }
        throw UnknownInput(info, card);
    }

    private static ZooException UnknownInput(TensorInfo info, ModelCard card) => new(ZooErrors.ModelInputExtra,
        $"'{card.Handle}' has a second input {info} that image tasks cannot fill (only an image-size input [1,2] named like 'image_shape'); re-export the model with the image as its only input.");

    public ModelCard Card => _card;

    public InputSpec Spec => _spec;

    /// <summary>Preprocesses one image as the card says and runs the model.</summary>
    public ModelOutputs Run(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var length = ImagePreprocessor.TensorLength(_spec);
        Array data;
        ImageTransform transform;
        switch (_elementType)
        {
            case "uint8":
            {
                var bytes = new byte[length];
                transform = ImagePreprocessor.WriteTensor(image, _spec, bytes.AsSpan());
                data = bytes;
                break;
            }
            case "int32":
            {
                // int32 image inputs (MoveNet) take the resized 0–255 pixels as integers.
                var bytes = new byte[length];
                transform = ImagePreprocessor.WriteTensor(image, _spec, bytes.AsSpan());
                data = Array.ConvertAll(bytes, b => (int)b);
                break;
            }
            default:
            {
                var floats = new float[length];
                transform = ImagePreprocessor.WriteTensor(image, _spec, floats.AsSpan());
                data = floats;
                break;
            }
        }
        var outputs = _session.Run([new NamedTensor(_inputName, data, Shape()), .. _extraInputs]);
        return new ModelOutputs(outputs, _card, _spec, transform);
    }

    /// <summary>
    /// Decodes files on a worker thread one ahead of the image being processed and yields results in input
    /// order. A file that cannot be decoded yields an error instead of stopping the run.
    /// </summary>
    public static async IAsyncEnumerable<ImageOutcome<T>> RunFilesAsync<T>(IReadOnlyList<string> paths, ImageDecodeOptions? decodeOptions,
        Func<RgbImage, T> process, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            yield break;
        }
        var next = Task.Run(() => Decode(paths[0], decodeOptions), ct);
        for (var i = 0; i < paths.Count; i++)
        {
            var (image, error) = await next.ConfigureAwait(false);
            if (i + 1 < paths.Count)
            {
                var following = paths[i + 1];
                next = Task.Run(() => Decode(following, decodeOptions), ct);
            }
            ct.ThrowIfCancellationRequested();
            if (image is null)
            {
                yield return new ImageOutcome<T>(paths[i], default, 0, 0, default, error);
                continue;
            }
            T value;
            using (image)
            {
                value = await Task.Run(() => process(image), ct).ConfigureAwait(false);
                yield return new ImageOutcome<T>(paths[i], value, image.Width, image.Height, default, null);
            }
        }
    }

    private static (RgbImage? Image, ZooException? Error) Decode(string path, ImageDecodeOptions? options)
    {
        try
        {
            return (ImageDecoder.Decode(path, options), null);
        }
        catch (ZooException ex)
        {
            // ImageDecoder reports missing and unreadable files as ImageDecodeException too.
            return (null, ex);
        }
    }

    private long[] Shape()
    {
        var channels = _spec.ColorOrder == ColorOrder.Gray ? 1 : 3;
        long[] shape = _spec.Layout == TensorLayout.Nchw
            ? [1, channels, _spec.Height, _spec.Width]
            : [1, _spec.Height, _spec.Width, channels];
        return _unbatched ? shape[1..] : shape;
    }
}
