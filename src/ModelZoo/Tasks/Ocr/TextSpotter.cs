namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Finds and reads text lines in images with a PaddleOCR-style pipeline: DB text detection → minimum-area line boxes in
/// reading order → upright crops → optional 0°/180° classification → CTC line recognition. Preprocessing of each
/// model comes from its card. Thread-safe (no per-call state); dispose to release the native sessions.
/// </summary>
public sealed class TextSpotter : IDisposable
{
    private readonly ModelSession _detector;
    private readonly ModelSession _recognizer;
    private readonly ModelSession? _classifier;
    private readonly Stage _det;
    private readonly Stage _rec;
    private readonly Stage? _cls;
    private readonly CtcDecoder _ctc;

    private TextSpotter(TextSpotterModels cards, ModelSession detector, ModelSession recognizer, ModelSession? classifier,
        IReadOnlyList<string> keys, int keyOffset, TextSpotterOptions options)
    {
        Models = cards;
        Options = options;
        _detector = detector;
        _recognizer = recognizer;
        _classifier = classifier;
        _det = Stage.For(cards.Detector, detector);
        _rec = Stage.For(cards.Recognizer, recognizer);
        _cls = classifier is null ? null : Stage.For(cards.DirectionClassifier!, classifier);
        _ctc = new CtcDecoder(keys, keyOffset);
    }

    /// <summary>The cards the pipeline runs.</summary>
    public TextSpotterModels Models { get; }

    /// <summary>Thresholds in force.</summary>
    public TextSpotterOptions Options { get; }

    /// <summary>Opens the pipeline over pulled models. The spotter owns the sessions it creates.</summary>
    /// <param name="detector">A pulled text-detection model.</param>
    /// <param name="recognizer">A pulled text-recognition model with a labels file (the character keys).</param>
    /// <param name="directionClassifier">A pulled text-direction model, or null to skip orientation.</param>
    /// <param name="options">Thresholds and session settings; PaddleOCR's defaults when null.</param>
    public static TextSpotter Open(LocalModel detector, LocalModel recognizer, LocalModel? directionClassifier = null, TextSpotterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(recognizer);
        options ??= new TextSpotterOptions();
        Require(detector.Card, ModelTask.TextDetection);
        Require(recognizer.Card, ModelTask.TextRecognition);
        if (directionClassifier is not null)
        {
            Require(directionClassifier.Card, ModelTask.TextDirection);
        }
        var labels = recognizer.Card.Labels ?? throw ZooErrors.CardLabelsMissing.Raise(
            $"the card of '{recognizer.Card.Handle}' names no character keys; add a 'labels' section naming its keys file.");
        var keys = LabelSets.Load(labels, recognizer.PathOf);
        var sessions = new List<ModelSession>();
        try
        {
            var det = TaskSessions.Open(detector, options.Session);
            sessions.Add(det);
            var rec = TaskSessions.Open(recognizer, options.Session);
            sessions.Add(rec);
            ModelSession? cls = null;
            if (directionClassifier is not null && options.UseDirectionClassifier)
            {
                cls = TaskSessions.Open(directionClassifier, options.Session);
                sessions.Add(cls);
            }
            var cards = new TextSpotterModels(detector.Card, recognizer.Card, cls is null ? null : directionClassifier!.Card);
            return new TextSpotter(cards, det, rec, cls, keys, labels.Offset, options);
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>Resolves <paramref name="handle"/> (see <see cref="TextSpotterModels.Resolve"/>), pulls its models if
    /// needed (verified) and opens the pipeline.</summary>
    public static async Task<TextSpotter> OpenAsync(ModelCatalog catalog, ModelStore store, string handle = TextSpotterModels.DefaultHandle,
        TextSpotterOptions? options = null, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cards = TextSpotterModels.Resolve(catalog, handle);
        var det = await store.OpenAsync(cards.Detector, progress, ct).ConfigureAwait(false);
        var rec = await store.OpenAsync(cards.Recognizer, progress, ct).ConfigureAwait(false);
        var cls = cards.DirectionClassifier is null || options is { UseDirectionClassifier: false }
            ? null
            : await store.OpenAsync(cards.DirectionClassifier, progress, ct).ConfigureAwait(false);
        return Open(det, rec, cls, options);
    }

    /// <summary>Finds and reads the text of one image.</summary>
    public OcrResult Read(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var quads = Detect(image);
        var crops = new (RgbImage Crop, Projective ToSource)[quads.Count];
        try
        {
            for (var i = 0; i < quads.Count; i++)
            {
                crops[i] = LineCropper.Crop(image, quads[i]);
            }
            var turned = _cls is null ? [] : Orient(crops);
            if (turned.Count == 0)
            {
                return new OcrResult(Recognize(crops).Where(l => l is not null).Select(l => l!).ToList());
            }
            // The classifier is sometimes sure of a wrong turn on long, squeezed lines: read those lines both ways
            // and keep the more confident reading.
            var all = crops.Concat(turned.Select(t => t.Original)).ToArray();
            var read = Recognize(all);
            for (var k = 0; k < turned.Count; k++)
            {
                var i = turned[k].Index;
                var other = read[crops.Length + k];
                if (other is not null && (read[i] is null || other.Confidence > read[i]!.Confidence))
                {
                    read[i] = other;
                }
            }
            return new OcrResult(read.Take(crops.Length).Where(l => l is not null).Select(l => l!).ToList());
        }
        finally
        {
            foreach (var (crop, _) in crops)
            {
                crop?.Dispose();
            }
        }
    }

    /// <summary>Reads image files one after another, decoding the next while the current one runs; in input order. A file
    /// that cannot be decoded yields an error outcome instead of stopping the run.</summary>
    public IAsyncEnumerable<ImageOutcome<OcrResult>> ReadFilesAsync(IReadOnlyList<string> paths, CancellationToken ct = default) =>
        ImageFileLoop.RunAsync<ImageTransform, OcrResult>(paths, 1, Options.Decode, null,
            decoded => new ImageTransform(1f, 1f, 0f, 0f, decoded.Image.Width, decoded.Image.Height),
            batch =>
            {
                var read = Read(batch[0].Image);
                return () => [read];
            }, transform => transform, null, ct);

    /// <inheritdoc />
    public void Dispose()
    {
        _detector.Dispose();
        _recognizer.Dispose();
        _classifier?.Dispose();
    }

    /// <summary>Line quadrilaterals in image pixels, in reading order.</summary>
    private List<(double X, double Y)[]> Detect(RgbImage image)
    {
        var spec = DetectorInput(_det.Spec, image.Width, image.Height, Options);
        var tensor = new float[ImagePreprocessor.TensorLength(spec)];
        ImagePreprocessor.WriteTensor(image, spec, tensor);
        var output = _det.Run(tensor, [1, 3, spec.Height, spec.Width]);
        var shape = output.Shape;
        if (shape.Length != 4 || shape[2] != spec.Height || shape[3] != spec.Width)
        {
            throw ZooErrors.ModelOutputShape.Raise(
                $"the detector's output has shape [{string.Join(",", shape)}] for a {spec.Width}x{spec.Height} input, not a probability map; check that '{Models.Detector.Handle}' is a DB text detector.");
        }
        var boxes = DbPostProcessor.Decode(output.AsFloats(), spec.Width, spec.Height, image.Width, image.Height, Options);
        var quads = new List<(double X, double Y)[]>(boxes.Count);
        foreach (var (box, _) in boxes)
        {
            var corners = box.Corners();
            for (var i = 0; i < 4; i++)
            {
                corners[i] = (Math.Clamp(corners[i].X, 0, image.Width - 1), Math.Clamp(corners[i].Y, 0, image.Height - 1));
            }
            // PaddleOCR's filter_tag_det_res: drop boxes thinner than 4 pixels after clipping.
            if ((int)Distance(corners[0], corners[1]) <= 3 || (int)Distance(corners[0], corners[3]) <= 3)
            {
                continue;
            }
            quads.Add(corners);
        }
        return ReadingOrder.Sort(quads);
    }

    /// <summary>
    /// The detector's input size for one image. PaddleOCR's <c>DetResizeForTest</c> with <c>limit_type max</c> only
    /// shrinks images whose long side is over the limit (the card's size, 960); a small photo of a page then reaches the
    /// detector at its own size. With <see cref="TextSpotterOptions.UpscaleSmallImages"/> the long side is brought up to
    /// the limit as well
    /// (PaddleOCR's <c>resize_long</c>), by at most <see cref="TextSpotterOptions.MaxDetectorUpscale"/>. Each side is
    /// then rounded to the card's multiple as PaddleOCR does.
    /// </summary>
    internal static InputSpec DetectorInput(InputSpec card, int width, int height, TextSpotterOptions options)
    {
        if (card.Resize != ResizeMode.LimitSide || !options.UpscaleSmallImages)
        {
            return ImagePreprocessor.ForImage(card, width, height);
        }
        var limit = Math.Min(card.Width, card.Height);
        var ratio = Math.Min((double)limit / Math.Max(width, height), Math.Max(1.0, options.MaxDetectorUpscale));
        if (ratio <= 1)
        {
            return ImagePreprocessor.ForImage(card, width, height);
        }
        return ImagePreprocessor.ForImage(card, Math.Max(1, (int)(width * ratio)), Math.Max(1, (int)(height * ratio)));
    }

    /// <summary>Turns crops the classifier finds upside down; returns the turned ones with their crops as they were.</summary>
    private List<(int Index, (RgbImage Crop, Projective ToSource) Original)> Orient((RgbImage Crop, Projective ToSource)[] crops)
    {
        var turned = new List<(int, (RgbImage, Projective))>();
        var stage = _cls!.Value;
        var batchSize = Options.RecognitionBatchSize;
        for (var start = 0; start < crops.Length; start += batchSize)
        {
            var count = Math.Min(batchSize, crops.Length - start);
            var length = ImagePreprocessor.TensorLength(stage.Spec);
            var tensor = new float[count * length];
            for (var i = 0; i < count; i++)
            {
                var crop = crops[start + i].Crop;
                var resizedWidth = Math.Clamp((int)Math.Ceiling((double)stage.Spec.Height * crop.Width / crop.Height), 1, stage.Spec.Width);
                using var resized = LineCropper.ResizeLinear(crop, resizedWidth, stage.Spec.Height);
                ImagePreprocessor.WriteTensor(resized, stage.Spec, tensor.AsSpan(i * length, length));
            }
            var output = stage.Run(tensor, [count, 3, stage.Spec.Height, stage.Spec.Width]);
            var probabilities = output.AsFloats();
            var classes = probabilities.Length / count;
            for (var i = 0; i < count; i++)
            {
                if (classes >= 2 && probabilities[i * classes + 1] > probabilities[i * classes] && probabilities[i * classes + 1] > Options.DirectionThreshold)
                {
                    var original = crops[start + i];
                    crops[start + i] = LineCropper.Rotate180(original.Crop, original.ToSource);
                    turned.Add((start + i, original));
                }
            }
        }
        return turned;
    }

    /// <summary>Recognises every crop, batching crops of similar aspect ratio; null for a line dropped as unreadable.</summary>
    private TextLine?[] Recognize((RgbImage Crop, Projective ToSource)[] crops)
    {
        var lines = new TextLine?[crops.Length];
        var spec = _rec.Spec;
        var order = Enumerable.Range(0, crops.Length).OrderBy(i => (double)crops[i].Crop.Width / crops[i].Crop.Height).ToArray();
        var batchSize = Options.RecognitionBatchSize;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
            var maxRatio = batch.Max(i => (double)crops[i].Crop.Width / crops[i].Crop.Height);
            var width = Math.Clamp((int)(spec.Height * maxRatio), spec.Width, Math.Max(spec.Width, Options.MaxLineWidth));
            var batchSpec = spec with { Width = width };
            var length = ImagePreprocessor.TensorLength(batchSpec);
            var tensor = new float[batch.Length * length];
            for (var b = 0; b < batch.Length; b++)
            {
                ImagePreprocessor.WriteTensor(crops[batch[b]].Crop, batchSpec, tensor.AsSpan(b * length, length));
            }
            var output = _rec.Run(tensor, [batch.Length, 3, spec.Height, width]);
            if (output.Shape.Length != 3 || output.Shape[0] != batch.Length)
            {
                throw ZooErrors.ModelOutputShape.Raise(
                    $"the recogniser's output has shape [{string.Join(",", output.Shape)}], not [batch, steps, classes]; check that '{Models.Recognizer.Handle}' is a CTC recogniser.");
            }
            var steps = (int)output.Shape[1];
            var classes = (int)output.Shape[2];
            var data = output.AsFloats();
            for (var b = 0; b < batch.Length; b++)
            {
                var (crop, toSource) = crops[batch[b]];
                var characters = _ctc.Decode(data.AsSpan(b * steps * classes, steps * classes), steps, classes);
                // Tensor columns per crop pixel: the crop was scaled to the input height and placed at the left.
                var resizedWidth = Math.Min(width, (int)Math.Ceiling((double)spec.Height * crop.Width / crop.Height));
                var cropPerStep = (double)width / steps * crop.Width / resizedWidth;
                lines[batch[b]] = BuildLine(characters, crop, toSource, cropPerStep);
            }
        }
        return lines;
    }

    private TextLine? BuildLine(List<CtcDecoder.Character> characters, RgbImage crop, Projective toSource, double cropPerStep)
    {
        if (characters.Count == 0)
        {
            return null;
        }
        characters = WordSpacing.Restore(characters, crop, cropPerStep);
        var confidence = characters.Average(c => c.Probability);
        var text = string.Concat(characters.Select(c => c.Text)).Trim();
        if (text.Length == 0 || confidence < Options.MinLineConfidence)
        {
            return null;
        }
        var words = new List<TextWord>();
        var current = new List<CtcDecoder.Character>();
        foreach (var c in characters.Append(new CtcDecoder.Character(" ", 0f, -1)))
        {
            if (c.Text != " ")
            {
                current.Add(c);
                continue;
            }
            if (current.Count > 0)
            {
                var x0 = Math.Clamp(current[0].Step * cropPerStep, 0, crop.Width);
                var x1 = Math.Clamp((current[^1].Step + 1) * cropPerStep, x0, crop.Width);
                words.Add(new TextWord(string.Concat(current.Select(w => w.Text)), current.Average(w => w.Probability),
                    MapRectangle(toSource, x0, x1, crop.Height)));
                current.Clear();
            }
        }
        return new TextLine(text, confidence, MapRectangle(toSource, 0, crop.Width, crop.Height), words);
    }

    private static TextPoint[] MapRectangle(Projective toSource, double x0, double x1, double height)
    {
        TextPoint Map(double x, double y)
        {
            var (sx, sy) = toSource.Apply(x, y);
            return new TextPoint((float)sx, (float)sy);
        }
        return [Map(x0, 0), Map(x1, 0), Map(x1, height), Map(x0, height)];
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private static void Require(ModelCard card, ModelTask task)
    {
        if (card.Task != task)
        {
            throw new ZooUsageException(
                $"'{card.Handle}' is a {FeatureExtractor.TaskName(card.Task)} model, not a {FeatureExtractor.TaskName(task)} model; pick one with `zoo list --task {FeatureExtractor.TaskName(task)}`.");
        }
        if (card.Input is null)
        {
            FeatureExtractor.RequireInput(card);
        }
    }

    /// <summary>One model of the pipeline: its session, input spec and tensor names.</summary>
    private readonly record struct Stage(ModelSession Session, InputSpec Spec, string InputName, string OutputName)
    {
        public static Stage For(ModelCard card, ModelSession session)
        {
            var spec = FeatureExtractor.RequireInput(card);
            var input = spec.Name ?? session.Inputs[0].Name;
            var output = card.Output?.Name ?? session.Outputs[0].Name;
            if (!session.Inputs.Any(i => i.Name == input) || !session.Outputs.Any(o => o.Name == output))
            {
                throw ZooErrors.ModelIoMissing.Raise(
                    $"'{card.Handle}' has no input '{input}' or no output '{output}' (it has {string.Join(", ", session.Inputs)} → {string.Join(", ", session.Outputs)}); fix the card's input.name and output.name.");
            }
            return new Stage(session, spec, input, output);
        }

        public NamedTensor Run(float[] tensor, long[] shape) => Session.Run(InputName, tensor, shape, [OutputName])[0];
    }
}
