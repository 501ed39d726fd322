namespace ModelZoo.Tasks;

/// <summary>
/// Face recognition embeddings: a <see cref="FaceDetector"/> finds the faces, each face is aligned to the embedding
/// model's input (a similarity transform putting the detector's eyes where ArcFace-style models expect them, or the
/// square around the box when the detector gives no eyes), preprocessed as the card says and run through a
/// <see cref="ModelTask.FaceEmbedding"/> model. The card's decoder <c>embedding</c> reads its output as one vector and
/// L2-normalises it. Options are the detector's (<see cref="FaceOptions"/>). Thread-safe.
/// </summary>
public sealed class FaceEmbedder : ImagePipeline<IReadOnlyList<EmbeddedFace>, FaceOptions>
{
    private static readonly DecoderRegistry<EmbeddingReader> Registry = new("face embedding",
    [
        ("embedding", new EmbeddingReader()),
    ]);

    // InsightFace's 112×112 alignment template: where the eye on the image's left and the one on its right sit.
    private static readonly (float X, float Y) TemplateLeftEye = (38.2946f, 51.6963f);
    private static readonly (float X, float Y) TemplateRightEye = (73.5318f, 51.5014f);
    private const float TemplateSide = 112f;

    private readonly FaceDetector _detector;
    private readonly ImageModelRunner _runner;
    private readonly EmbeddingReader _reader;

    private FaceEmbedder(LocalModel model, ModelSession session, ImageTaskOptions options, FaceDetector detector) : base(model, session, options)
    {
        _detector = detector;
        _runner = new ImageModelRunner(session, model.Card);
        _reader = Registry.Get(model.Card);
    }

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => Registry.Names;

    /// <summary>The face-detection model that runs when none is named: BlazeFace's long-range model, which finds
    /// both close and distant faces.</summary>
    public const string DefaultDetector = "face/blazeface/back_256";

    /// <summary>The face detector in front of the embedding model.</summary>
    public ModelCard DetectorCard => _detector.Card;

    /// <summary>Opens an embedder over a pulled embedding model and a pulled face-detection model; it owns both
    /// sessions.</summary>
    /// <exception cref="ZooUsageException">A card is not of its task.</exception>
    /// <exception cref="ZooException">A card names a decoder its pipeline does not have (code <c>decoder-unknown</c>).</exception>
    public static FaceEmbedder Open(LocalModel model, LocalModel detector, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(detector);
        TaskGuard.RequireTask(model.Card, ModelTask.FaceEmbedding);
        Registry.Get(model.Card);
        var faces = FaceDetector.Open(detector, options);
        try
        {
            return OpenPipeline(model, options, ModelTask.FaceEmbedding, null, (m, s, o) => new FaceEmbedder(m, s, o, faces));
        }
        catch
        {
            faces.Dispose();
            throw;
        }
    }

    /// <summary>Pulls both models if needed (verified) and opens an embedder over them.</summary>
    public static async Task<FaceEmbedder> OpenAsync(ModelCard card, ModelCard detector, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var faces = await store.OpenAsync(detector, progress, ct).ConfigureAwait(false);
        return await PullAndOpenAsync(card, store, progress, ct, model => Open(model, faces, options)).ConfigureAwait(false);
    }

    /// <summary>The faces of one image with their embeddings, best detection first.</summary>
    public IReadOnlyList<EmbeddedFace> Embed(RgbImage image, FaceOptions? options = null) => Run(image, options ?? new FaceOptions());

    /// <summary>Faces are cropped from the image itself.</summary>
    private protected override bool ReadsSourcePixels => true;

    private protected override void Validate(FaceOptions options) => options.Validate();

    // Faces are cut from the decoded image once the detector has found them, so nothing is prepared ahead.
    private protected override PreparedImage Preprocess(RgbImage image) =>
        new(Array.Empty<float>(), new ImageTransform(1, 1, 0, 0, image.Width, image.Height), image);

    private protected override Func<IReadOnlyList<IReadOnlyList<EmbeddedFace>>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<FaceOptions> options) =>
        Done(batch.Select((prepared, i) => EmbedFaces(prepared.Source, options[i])).ToList());

    private protected override void DisposeCore() => _detector.Dispose();

    private List<EmbeddedFace> EmbedFaces(RgbImage image, FaceOptions options)
    {
        var faces = Infer(() => _detector.Run(image, options));
        return faces.Select(face =>
        {
            var prepared = Postprocess(() =>
            {
                using var crop = Align(image, face, _runner.Spec.Width, _runner.Spec.Height);
                return _runner.Preprocess(crop);
            });
            var outputs = Infer(() => _runner.Infer(prepared));
            return new EmbeddedFace
            {
                Score = face.Score,
                Box = face.Box,
                Landmarks = face.Landmarks,
                Embedding = Postprocess(() => _reader.Read(outputs)),
            };
        }).ToList();
    }

    /// <summary>The face warped to <paramref name="width"/> × <paramref name="height"/> with its eyes on the template
    /// (bilinear, black outside the image); without both eyes, the square around its box.</summary>
    private static RgbImage Align(RgbImage image, Face face, int width, int height)
    {
        var eyes = face.Landmarks.Where(l => l.Name is "right_eye" or "left_eye").OrderBy(l => l.X).ToList();
        if (eyes.Count != 2)
        {
            return FaceCrop.Square(image, face.Box, 0f);
        }
        float sx = width / TemplateSide, sy = height / TemplateSide;
        var (d1x, d1y) = (TemplateLeftEye.X * sx, TemplateLeftEye.Y * sy);
        var (ddx, ddy) = (TemplateRightEye.X * sx - d1x, TemplateRightEye.Y * sy - d1y);
        var (sdx, sdy) = (eyes[1].X - eyes[0].X, eyes[1].Y - eyes[0].Y);
        // Crop point p maps to eyes[0] + k·R(θ)·(p − d1), the similarity taking the template's eye segment onto the face's.
        var norm = ddx * ddx + ddy * ddy;
        var a = (sdx * ddx + sdy * ddy) / norm;
        var b = (sdy * ddx - sdx * ddy) / norm;
        var src = image.Pixels;
        var dst = new byte[3 * width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                float px = x + 0.5f - d1x, py = y + 0.5f - d1y;
                var u = eyes[0].X + a * px - b * py - 0.5f;
                var v = eyes[0].Y + b * px + a * py - 0.5f;
                Sample(src, image.Width, image.Height, u, v, dst.AsSpan(3 * (y * width + x), 3));
            }
        }
        return RgbImage.FromPixels(width, height, dst);
    }

    private static void Sample(ReadOnlySpan<byte> src, int w, int h, float u, float v, Span<byte> rgb)
    {
        int x0 = (int)MathF.Floor(u), y0 = (int)MathF.Floor(v);
        float fx = u - x0, fy = v - y0;
        for (var c = 0; c < 3; c++)
        {
            var top = Pixel(src, w, h, x0, y0, c) * (1 - fx) + Pixel(src, w, h, x0 + 1, y0, c) * fx;
            var bottom = Pixel(src, w, h, x0, y0 + 1, c) * (1 - fx) + Pixel(src, w, h, x0 + 1, y0 + 1, c) * fx;
            rgb[c] = (byte)Math.Clamp(MathF.Round(top * (1 - fy) + bottom * fy), 0, 255);
        }
    }

    private static float Pixel(ReadOnlySpan<byte> src, int w, int h, int x, int y, int c) =>
        x < 0 || y < 0 || x >= w || y >= h ? 0f : src[3 * (y * w + x) + c];

    /// <summary>Reads the card's output as one vector and scales it to unit length.</summary>
    private sealed class EmbeddingReader
    {
        public IReadOnlyList<float> Read(ModelOutputs outputs)
        {
            var vector = ModelOutputs.Floats(outputs.Primary);
            if (outputs.Card.Output?.Size is int size && size != vector.Length)
            {
                throw outputs.ShapeError("embedding", $"one vector of output.size = {size} values");
            }
            var length = MathF.Sqrt(vector.Sum(v => v * v));
            if (!(length > 0f) || !float.IsFinite(length))
            {
                throw outputs.ShapeError("embedding", "a finite vector that is not all zeros");
            }
            return Array.ConvertAll(vector, v => v / length);
        }
    }
}
