using System.Text.Json;
using ModelZoo.Imaging;

namespace ModelZoo.Training.DetectionMetrics;

/// <summary>
/// Labelled images for detector validation, read from a folder in one of two formats:
/// <list type="bullet">
/// <item>COCO: one <c>.json</c> file in the folder (<c>images</c>, <c>annotations</c> with <c>bbox</c> [x, y, w, h] in
/// pixels, <c>category_id</c>, optional <c>iscrowd</c> and <c>area</c>, and <c>categories</c>); image
/// <c>file_name</c>s are relative to the folder or its <c>images/</c> sub-folder.</item>
/// <item>YOLO txt: images with a <c>.txt</c> of the same name beside them (or in a <c>labels/</c> folder beside
/// <c>images/</c>), one object a line as <c>class cx cy w h</c> normalised to the image size, class names one a line
/// in <c>classes.txt</c> or a <c>*.names</c> file. An image without a .txt has no objects.</item>
/// </list>
/// </summary>
public sealed class DetectionDataset
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"];

    private DetectionDataset(string format, IReadOnlyList<string> classes, IReadOnlyList<LabelledImage> images)
    {
        Format = format;
        Classes = classes;
        Images = images;
    }

    /// <summary><c>coco</c> or <c>yolo</c>.</summary>
    public string Format { get; }

    /// <summary>Class names in the labels' order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The labelled images, in file-name order.</summary>
    public IReadOnlyList<LabelledImage> Images { get; }

    /// <summary>Reads the labels in <paramref name="folder"/>.</summary>
    /// <exception cref="DetectionLabelsException">No labels, or labels that cannot be read.</exception>
    public static DetectionDataset Load(string folder)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DetectionLabelsException($"The dataset folder '{root}' does not exist; pass a folder with COCO JSON or YOLO .txt labels.");
        }
        var json = Directory.GetFiles(root, "*.json");
        if (json.Length > 1)
        {
            throw new DetectionLabelsException($"'{root}' holds {json.Length} .json files; keep the one COCO annotation file there.");
        }
        return json.Length == 1 ? LoadCoco(root, json[0]) : LoadYolo(root);
    }

    private static DetectionDataset LoadCoco(string root, string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = document.RootElement;
            var categories = new SortedDictionary<long, string>();
            foreach (var c in r.GetProperty("categories").EnumerateArray())
            {
                categories[c.GetProperty("id").GetInt64()] = c.GetProperty("name").GetString() ?? throw new FormatException("a category without a name");
            }
            var files = new Dictionary<long, string>();
            foreach (var image in r.GetProperty("images").EnumerateArray())
            {
                var file = image.GetProperty("file_name").GetString() ?? throw new FormatException("an image without file_name");
                files[image.GetProperty("id").GetInt64()] = ResolveImage(root, file, name);
            }
            var boxes = files.Keys.ToDictionary(id => id, _ => new List<GroundTruthBox>());
            var index = 0;
            foreach (var a in r.GetProperty("annotations").EnumerateArray())
            {
                var imageId = a.GetProperty("image_id").GetInt64();
                var categoryId = a.GetProperty("category_id").GetInt64();
                if (!boxes.TryGetValue(imageId, out var list) || !categories.TryGetValue(categoryId, out var label))
                {
                    throw new FormatException($"annotation {index} names image {imageId} or category {categoryId}, which the file does not list");
                }
                var b = a.GetProperty("bbox");
                float x = b[0].GetSingle(), y = b[1].GetSingle(), w = b[2].GetSingle(), h = b[3].GetSingle();
                if (!(w >= 0 && h >= 0 && float.IsFinite(x) && float.IsFinite(y) && float.IsFinite(w) && float.IsFinite(h)))
                {
                    throw new FormatException($"annotation {index} has bbox [{x}, {y}, {w}, {h}]");
                }
                var crowd = a.TryGetProperty("iscrowd", out var ic) && ic.GetInt32() != 0;
                float? area = a.TryGetProperty("area", out var ar) ? ar.GetSingle() : null;
                list.Add(new GroundTruthBox(label, new BoundingBox(x, y, w, h), crowd, area));
                index++;
            }
            var images = files.OrderBy(f => f.Value, StringComparer.Ordinal).Select(f => new LabelledImage(f.Value, boxes[f.Key])).ToList();
            return new DetectionDataset("coco", categories.Values.ToList(), images);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new DetectionLabelsException($"'{name}' is not COCO detection JSON ({ex.Message.TrimEnd('.')}); give images, annotations (bbox, category_id, image_id) and categories.", ex);
        }
    }

    private static string ResolveImage(string root, string file, string labels)
    {
        foreach (var candidate in new[] { Path.Combine(root, file), Path.Combine(root, "images", file) })
        {
            var full = Path.GetFullPath(candidate);
            if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full))
            {
                return full;
            }
        }
        throw new DetectionLabelsException($"'{labels}' lists the image '{file}', which is not in '{root}' or its images/ folder; add the image or remove its entry.");
    }

    private static DetectionDataset LoadYolo(string root)
    {
        var imageFolder = Directory.Exists(Path.Combine(root, "images")) ? Path.Combine(root, "images") : root;
        var labelFolder = Directory.Exists(Path.Combine(root, "labels")) ? Path.Combine(root, "labels") : imageFolder;
        var namesFile = new[] { Path.Combine(root, "classes.txt") }.Concat(Directory.GetFiles(root, "*.names")).FirstOrDefault(File.Exists)
            ?? throw new DetectionLabelsException($"'{root}' has neither a COCO .json nor the classes.txt (or .names) file of YOLO labels; add one.");
        var classes = File.ReadAllLines(namesFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var images = new List<LabelledImage>();
        foreach (var image in Directory.GetFiles(imageFolder).Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal))
        {
            var txt = Path.Combine(labelFolder, Path.GetFileNameWithoutExtension(image) + ".txt");
            var boxes = new List<GroundTruthBox>();
            if (File.Exists(txt))
            {
                var size = ImageDecoder.Measure(File.ReadAllBytes(image), Path.GetFileName(image));
                var number = 0;
                foreach (var line in File.ReadAllLines(txt))
                {
                    number++;
                    var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 0)
                    {
                        continue;
                    }
                    var values = parts.Skip(1).Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : float.NaN).ToArray();
                    if (parts.Length != 5 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var cls) || cls >= classes.Count
                        || values.Any(v => !(v >= 0 && v <= 1)))
                    {
                        throw new DetectionLabelsException($"{Path.GetFileName(txt)} line {number}: '{line.Trim()}' is not 'class cx cy w h' with a class below {classes.Count} and values in 0–1; fix the label line.");
                    }
                    float w = values[2] * size.Width, h = values[3] * size.Height;
                    boxes.Add(new GroundTruthBox(classes[cls], new BoundingBox(values[0] * size.Width - w / 2, values[1] * size.Height - h / 2, w, h)));
                }
            }
            images.Add(new LabelledImage(image, boxes));
        }
        if (images.Count == 0)
        {
            throw new DetectionLabelsException($"'{imageFolder}' holds no images; put the labelled images there.");
        }
        return new DetectionDataset("yolo", classes, images);
    }
}
