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
    private readonly InputElementType _elementType;
    private readonly bool _unbatched;
    private readonly NamedTensor[] _extraInputs;

    public ImageModelRunner(ModelSession session, ModelCard card)
    {
        _session = session;
        _card = card;
        _spec = FeatureExtractor.RequireInput(card);
        var input = TaskSessions.ImageInput(session, _spec);
        _inputName = input.Name;
        _elementType = ElementTypeOf(input, _spec, card);
        // Detectron-style graphs (Faster/Mask R-CNN) take one image as [3, H, W] without a batch dimension.
        _unbatched = input.Shape.Count == 3;
        _extraInputs = session.Inputs.Where(i => i.Name != _inputName).Select(i => ExtraInput(i, _spec, card)).ToArray();
    }

    /// <summary>The card's element type, checked against the graph's input: the card says what to feed, the graph
    /// must agree.</summary>
    private static InputElementType ElementTypeOf(TensorInfo input, InputSpec spec, ModelCard card)
    {
        InputElementType? graph = input.ElementType switch
        {
            "float" => InputElementType.Float32,
            "uint8" => InputElementType.UInt8,
            "int32" => InputElementType.Int32,
            _ => null,
        };
        if (graph is null)
        {
            throw ZooErrors.ModelInputType.Raise(
                $"input '{input.Name}' of '{card.Handle}' takes {input.ElementType} elements; image tasks feed float, uint8 or int32, so re-export the model with one of those.");
        }
        var declared = spec.Element;
        if (declared != graph)
        {
            var name = System.Text.Json.JsonSerializer.Serialize(graph.Value).Trim('"');
            throw ZooErrors.ModelInputType.Raise(
                $"input '{input.Name}' of '{card.Handle}' takes {name} elements but its card says input.elementType {spec.ElementType}; set input.elementType to {name} in the model card.");
        }
        return declared;
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
    public ModelOutputs Run(RgbImage image) => Infer(Preprocess(image));

    /// <summary>The model-input tensor of one image, in the element type the graph's input takes.</summary>
    public PreparedImage Preprocess(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var length = ImagePreprocessor.TensorLength(_spec);
        // The preprocessor writes every element, so the tensors need no zeroing.
        switch (_elementType)
        {
            case InputElementType.UInt8:
            {
                var bytes = GC.AllocateUninitializedArray<byte>(length);
                var transform = ImagePreprocessor.WriteTensor(image, _spec, bytes.AsSpan());
                return new PreparedImage(bytes, transform, image);
            }
            case InputElementType.Int32:
            {
                // int32 image inputs (MoveNet) take the resized 0–255 pixels as integers.
                var ints = GC.AllocateUninitializedArray<int>(length);
                var transform = ImagePreprocessor.WriteTensor(image, _spec, ints.AsSpan());
                return new PreparedImage(ints, transform, image);
            }
            default:
            {
                var floats = GC.AllocateUninitializedArray<float>(length);
                var transform = ImagePreprocessor.WriteTensor(image, _spec, floats.AsSpan());
                return new PreparedImage(floats, transform, image);
            }
        }
    }

    /// <summary>Runs the model on one prepared image and returns every output.</summary>
    public ModelOutputs Infer(PreparedImage prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var outputs = _session.Run([new NamedTensor(_inputName, prepared.Tensor, Shape()), .. _extraInputs]);
        return new ModelOutputs(outputs, _card, _spec, prepared.Transform);
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
