using ModelZoo.Imaging;
using SkiaSharp;

namespace ModelZoo.Tests.Tasks.Ocr;

/// <summary>One rendered test image and the text drawn on it, line by line (top to bottom).</summary>
public sealed record RenderedText(string Name, IReadOnlyList<string> Lines, SKBitmap Bitmap, string Font, float Size, float Angle) : IDisposable
{
    /// <summary>The pixels as the OCR pipeline takes them.</summary>
    public RgbImage ToImage() => RgbImage.FromBitmap(Bitmap);

    /// <summary>Encodes the image as PNG.</summary>
    public void SavePng(string path)
    {
        using var data = Bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    public void Dispose() => Bitmap.Dispose();
}

/// <summary>
/// Draws text as it appears on signs in photos: a region of a real photo, a light translucent panel, dark text in a
/// DejaVu font, a slight rotation and mild noise. Deterministic for a seed. Shared by the OCR tests and the OCR benchmark.
/// </summary>
public static class TextImageRenderer
{
    /// <summary>DejaVu fonts installed by scripts/install-test-deps.sh (Debian fonts-dejavu-core).</summary>
    public static readonly string[] FontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf"];

    /// <summary>English words and numbers of the kind found on signs, labels and receipts.</summary>
    public static readonly string[] Phrases =
    [
        "Main Street 42", "OPEN 9am to 5pm", "Platform 7", "Total 1250.00", "Speed limit 50", "Welcome to Berlin",
        "Exit only", "Parking level B2", "Call 555 0199", "Fresh bread daily", "Room 314", "Gate 12 closed",
        "Coffee and tea", "Invoice 20240517", "No entry", "Bus stop 88", "Hotel Central", "Price 7.99",
        "North Station", "Push to open", "Fire exit", "Floor 3 offices", "Library hours", "Order number 60613",
    ];

    /// <summary>The photos the backgrounds are cut from.</summary>
    public static readonly string[] Backgrounds =
    [
        "darknet/dog.jpg", "darknet/horses.jpg", "darknet/giraffe.jpg", "darknet/kite.jpg", "darknet/person.jpg",
        "darknet/eagle.jpg", "skimage/astronaut.png", "skimage/coffee.png", "skimage/chelsea.png", "skimage/rocket.jpg",
    ];

    /// <summary>The folder holding the DejaVu fonts; fails with the install hint when they are missing.</summary>
    public static string FontFolder
    {
        get
        {
            var folder = Path.Combine("/usr", "share", "fonts", "truetype", "dejavu");
            if (!File.Exists(Path.Combine(folder, FontFiles[0])))
            {
                throw new FileNotFoundException(
                    $"DejaVu fonts are missing from {folder}; run scripts/install-test-deps.sh (it installs fonts-dejavu-core).");
            }
            return folder;
        }
    }

    /// <summary>The standard single-line set: one phrase per image, sizes 20–48 px, angles within ±3°, four fonts,
    /// ten photo backgrounds.</summary>
    /// <param name="backgroundPath">Resolves a background name such as <c>darknet/dog.jpg</c> to a file.</param>
    /// <param name="variants">How many renderings of each phrase (each further variant shifts font, size and background).</param>
    public static List<RenderedText> SingleLineSet(Func<string, string> backgroundPath, int variants = 1)
    {
        float[] sizes = [20, 24, 28, 32, 36, 40, 44, 48];
        var random = new Random(20240517);
        var set = new List<RenderedText>();
        for (var v = 0; v < variants; v++)
        {
            for (var i = 0; i < Phrases.Length; i++)
            {
                var font = FontFiles[(i + v) % FontFiles.Length];
                var size = sizes[(i + 3 * v) % sizes.Length];
                var angle = (float)(random.NextDouble() * 6 - 3);
                var background = backgroundPath(Backgrounds[(i + 7 * v) % Backgrounds.Length]);
                set.Add(Render($"line{v}-{i:00}", [Phrases[i]], font, size, angle, background, seed: 1000 * v + i));
            }
        }
        return set;
    }

    /// <summary>Renders <paramref name="lines"/> (left-aligned, one under another) on a region of a photo.</summary>
    public static RenderedText Render(string name, IReadOnlyList<string> lines, string fontFile, float size, float angle,
        string backgroundFile, int seed, double noiseSigma = 6)
    {
        using var typeface = SKTypeface.FromFile(Path.Combine(FontFolder, fontFile))
            ?? throw new InvalidOperationException($"Skia cannot load {fontFile}.");
        using var font = new SKFont(typeface, size);
        var lineHeight = size * 1.5f;
        var textWidth = lines.Max(l => font.MeasureText(l));
        var width = (int)Math.Ceiling(textWidth + 2 * size + 60);
        var height = (int)Math.Ceiling(lines.Count * lineHeight + 2 * size + 40);
        var random = new Random(seed);

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var photo = SKBitmap.Decode(backgroundFile) ?? throw new InvalidOperationException($"cannot decode {backgroundFile}"))
        {
            // A region of the photo, scaled up when the photo is small, as the background.
            var scale = Math.Max(1f, Math.Max((float)width / photo.Width, (float)height / photo.Height) * 1.2f);
            var regionW = width / scale;
            var regionH = height / scale;
            var x = (float)(random.NextDouble() * Math.Max(0, photo.Width - regionW));
            var y = (float)(random.NextDouble() * Math.Max(0, photo.Height - regionH));
            using var image = SKImage.FromBitmap(photo);
            canvas.DrawImage(image, SKRect.Create(x, y, regionW, regionH), SKRect.Create(0, 0, width, height),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));

            canvas.Save();
            canvas.RotateDegrees(angle, width / 2f, height / 2f);
            using var panel = new SKPaint { Color = new SKColor(250, 250, 245, 200), IsAntialias = true };
            var panelRect = SKRect.Create(size * 0.5f + 10, size * 0.5f + 10, textWidth + size + 40, lines.Count * lineHeight + size + 20);
            canvas.DrawRoundRect(panelRect, size * 0.2f, size * 0.2f, panel);
            using var ink = new SKPaint { Color = new SKColor(25, 25, 40), IsAntialias = true };
            for (var i = 0; i < lines.Count; i++)
            {
                var baseline = panelRect.Top + size * 0.5f + 10 + i * lineHeight + size;
                canvas.DrawText(lines[i], panelRect.Left + size * 0.5f + 10, baseline, SKTextAlign.Left, font, ink);
            }
            canvas.Restore();
        }
        AddNoise(bitmap, random, noiseSigma);
        return new RenderedText(name, lines, bitmap, fontFile, size, angle);
    }

    /// <summary>Adds Gaussian noise of <paramref name="sigma"/> levels to every channel.</summary>
    private static void AddNoise(SKBitmap bitmap, Random random, double sigma)
    {
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i++)
        {
            if (i % 4 == 3)
            {
                continue;
            }
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var n = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * sigma;
            pixels[i] = (byte)Math.Clamp((int)Math.Round(pixels[i] + n), 0, 255);
        }
        bitmap.NotifyPixelsChanged();
    }
}

/// <summary>Character error rate: edit distance over reference length, after NFKC (full-width forms to ASCII) and
/// collapsing runs of whitespace.</summary>
public static class CharacterErrorRate
{
    public static string Normalize(string text) =>
        string.Join(' ', text.Normalize(System.Text.NormalizationForm.FormKC).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Levenshtein distance between the normalised strings.</summary>
    public static int Errors(string reference, string hypothesis)
    {
        var a = Normalize(reference);
        var b = Normalize(hypothesis);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Number of characters of the normalised reference.</summary>
    public static int Length(string reference) => Normalize(reference).Length;
}
