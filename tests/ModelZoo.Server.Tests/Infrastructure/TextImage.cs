using ModelZoo.Tests;
using SkiaSharp;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>Renders dark lines of text on a light background with DejaVu Sans, as a sign or a printed label looks.</summary>
public static class TextImage
{
    public const string FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>A PNG of <paramref name="lines"/>, one under the other, at <paramref name="size"/> px.</summary>
    public static byte[] RenderPng(IReadOnlyList<string> lines, float size = 40f)
    {
        Assert.True(File.Exists(FontPath), $"DejaVu Sans is missing at {FontPath}; run scripts/install-test-deps.sh (it installs fonts-dejavu-core).");
        using var typeface = SKTypeface.FromFile(FontPath);
        using var font = new SKFont(typeface, size);
        using var paint = new SKPaint { Color = new SKColor(25, 25, 35), IsAntialias = true };
        var lineHeight = size * 1.8f;
        var width = (int)(lines.Max(l => font.MeasureText(l)) + 2 * size);
        var height = (int)(lines.Count * lineHeight + size);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(246, 244, 236));
        for (var i = 0; i < lines.Count; i++)
        {
            canvas.DrawText(lines[i], size, size + i * lineHeight + size * 0.9f, SKTextAlign.Left, font, paint);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The text with spaces removed and upper-cased, for comparing readings that may drop a space.</summary>
    public static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    /// <summary>Writes a rendered image next to the test assembly so that a failing test can be looked at.</summary>
    public static string Save(byte[] png, string name)
    {
        var path = Path.Combine(TestAssets.RepoRoot, ".cache", "server-tests", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, png);
        return path;
    }
}
