namespace ModelZoo.Training.Data;

/// <summary>
/// A labelled set of image files: the class names (index order) and every image with its class.
/// Built from a folder with one sub-folder per class (<see cref="FromFolder"/>) or from a CSV of
/// <c>path,label</c> rows (<see cref="FromCsv"/>). A dataset is always trainable: at least two classes,
/// each with at least two images (<see cref="DatasetValidation.EnsureTrainable"/>). Images are ordered by
/// class index, then by path (ordinal), whatever order the file system returned them in.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>File extensions recognised as images (compared case-insensitively).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    private ImageDataset(IReadOnlyList<string> classes, IReadOnlyList<LabeledImage> images)
    {
        Classes = classes;
        Images = images;
    }

    /// <summary>Class names; a class's index in this list is its <see cref="LabeledImage.ClassIndex"/>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every image, ordered by class index then path.</summary>
    public IReadOnlyList<LabeledImage> Images { get; }

    /// <summary>Number of images per class name.</summary>
    public IReadOnlyDictionary<string, int> CountPerClass()
    {
        var counts = Classes.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        foreach (var image in Images)
        {
            counts[image.Label]++;
        }

        return counts;
    }

    /// <summary>
    /// Reads a folder with one sub-folder per class. Class names are the sub-folder names, sorted
    /// ordinally (case-sensitive). Image files (by extension, see <see cref="ImageExtensions"/>) are
    /// collected recursively inside each class folder; hidden files and folders (name starting with a
    /// dot, or marked hidden) are ignored, and so are non-image files and files directly in <paramref name="dir"/>.
    /// </summary>
    /// <exception cref="DatasetException">The folder is missing, has fewer than two class folders, or a class has fewer than two images.</exception>
    public static ImageDataset FromFolder(string dir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        var root = Existing(dir, Directory.Exists,
            r => $"dataset folder '{r}' does not exist; pass a folder that holds one sub-folder of images per class.");

        var classDirs = new DirectoryInfo(root).EnumerateDirectories()
            .Where(d => !IsUnreadableName(d) ? !IsHidden(d) : throw UnreadableName(d, "class folder"))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        if (classDirs.Count == 0)
        {
            throw new DatasetException(DatasetException.EmptyCode,
                $"dataset folder '{root}' has no class sub-folders; add one sub-folder per class (e.g. '{Path.Combine(root, "cats")}') with that class's images inside.");
        }

        if (classDirs.Count < DatasetValidation.MinimumClasses)
        {
            throw new DatasetException(DatasetException.TooFewClassesCode,
                $"found 1 class folder '{classDirs[0].Name}' in '{root}'; a classifier needs at least {DatasetValidation.MinimumClasses} — add one sub-folder per class.");
        }

        var classes = classDirs.Select(d => d.Name).ToArray();
        var images = new List<LabeledImage>();
        for (var index = 0; index < classDirs.Count; index++)
        {
            images.AddRange(EnumerateImages(classDirs[index])
                .Select(p => new LabeledImage(p, classes[index], index))
                .OrderBy(i => i.Path, StringComparer.Ordinal));
        }

        return Create(classes, images);
    }

    /// <summary>
    /// Reads a CSV file whose header names the columns <c>path</c> and <c>label</c> (any order,
    /// case-insensitive; other columns are ignored). Relative paths are resolved against the CSV's
    /// folder. Fields follow RFC 4180 quoting. Class names are the distinct labels, sorted ordinally.
    /// Files are not opened here: unreadable or missing ones are found while decoding and removed with <see cref="Without"/>.
    /// </summary>
    /// <exception cref="DatasetException">The file is missing or malformed, or the rows give fewer than two classes or a class with fewer than two images.</exception>
    public static ImageDataset FromCsv(string csvPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        var full = Existing(csvPath, File.Exists,
            f => $"dataset CSV '{f}' does not exist; pass a CSV file with a 'path,label' header or a folder with one sub-folder per class.");

        var name = Path.GetFileName(full);
        var rows = CsvTable.Parse(File.ReadAllText(full), name);
        if (rows.Count == 0)
        {
            throw new DatasetException(DatasetException.BadCsvCode,
                $"{name} is empty; start it with the header line 'path,label' and add one row per image.");
        }

        var header = rows[0].Fields.Select(f => f.Trim()).ToList();
        var pathColumn = header.FindIndex(h => h.Equals("path", StringComparison.OrdinalIgnoreCase));
        var labelColumn = header.FindIndex(h => h.Equals("label", StringComparison.OrdinalIgnoreCase));
        if (pathColumn < 0 || labelColumn < 0)
        {
            throw new DatasetException(DatasetException.BadCsvCode,
                $"{name} has header '{string.Join(",", header)}' but needs columns 'path' and 'label'; make the first line 'path,label'.");
        }

        if (rows.Count == 1)
        {
            throw new DatasetException(DatasetException.EmptyCode,
                $"{name} has a header but no rows; add one 'path,label' row per image.");
        }

        var baseDir = Path.GetDirectoryName(full)!;
        var entries = new List<(string Path, string Label)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(1))
        {
            var needed = Math.Max(pathColumn, labelColumn) + 1;
            if (row.Fields.Count < needed)
            {
                throw new DatasetException(DatasetException.BadCsvCode, string.Create(CultureInfo.InvariantCulture,
                    $"{name} line {row.Line} has {row.Fields.Count} field(s) but the header needs {needed}; give every row a path and a label."));
            }

            var path = row.Fields[pathColumn];
            var label = row.Fields[labelColumn];
            if (path.Length == 0 || label.Length == 0)
            {
                throw new DatasetException(DatasetException.BadCsvCode, string.Create(CultureInfo.InvariantCulture,
                    $"{name} line {row.Line} has an empty {(path.Length == 0 ? "path" : "label")}; fill it in or delete the row."));
            }

            var resolved = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path));
            if (!seen.Add(resolved))
            {
                throw new DatasetException(DatasetException.BadCsvCode, string.Create(CultureInfo.InvariantCulture,
                    $"{name} line {row.Line} lists '{path}' a second time; keep one row per image."));
            }

            entries.Add((resolved, label));
        }

        var classes = entries.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < DatasetValidation.MinimumClasses)
        {
            throw new DatasetException(DatasetException.TooFewClassesCode,
                $"{name} has only 1 label '{classes[0]}'; a classifier needs at least {DatasetValidation.MinimumClasses} — add rows for at least one more class.");
        }

        var indexOf = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var images = entries
            .Select(e => new LabeledImage(e.Path, e.Label, indexOf[e.Label]))
            .OrderBy(i => i.ClassIndex)
            .ThenBy(i => i.Path, StringComparer.Ordinal)
            .ToList();
        return Create(classes, images);
    }

    /// <summary>
    /// Reads a dataset from a CSV file (a file path) or a class-per-folder directory (a folder path).
    /// </summary>
    /// <exception cref="DatasetException">Neither a file nor a folder exists at <paramref name="dirOrCsv"/>, or loading fails.</exception>
    public static ImageDataset Load(string dirOrCsv)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dirOrCsv);
        if (File.Exists(dirOrCsv))
        {
            return FromCsv(dirOrCsv);
        }

        if (Directory.Exists(dirOrCsv))
        {
            return FromFolder(dirOrCsv);
        }

        throw new DatasetException(DatasetException.NotFoundCode,
            $"no dataset at '{Path.GetFullPath(dirOrCsv)}'; pass a folder with one sub-folder of images per class, or a CSV file with a 'path,label' header.");
    }

    /// <summary>
    /// Divides the images into training and validation sets, class by class (stratified). Within a
    /// class the images are sorted by path and shuffled with a generator seeded by
    /// (<paramref name="seed"/>, class name), so the result depends only on the seed and the set of
    /// files, not on enumeration order or on other classes. A class with n images gives
    /// round(n × fraction) validation images, but at least one when n ≥ 2 and the fraction is positive,
    /// and always leaves at least one for training.
    /// </summary>
    /// <param name="validationFraction">Share of each class held out, in [0, 1).</param>
    /// <param name="seed">Seed; the same seed gives the same split.</param>
    public DatasetSplit Split(double validationFraction, int seed)
    {
        if (double.IsNaN(validationFraction) || validationFraction < 0 || validationFraction >= 1)
        {
            throw new ZooUsageException(string.Create(CultureInfo.InvariantCulture,
                $"validation fraction {validationFraction} is out of range; use a value from 0 (no validation) up to but not including 1, e.g. 0.2."));
        }

        var train = new List<LabeledImage>();
        var validation = new List<LabeledImage>();
        foreach (var group in Images.GroupBy(i => i.ClassIndex).OrderBy(g => g.Key))
        {
            var members = group.OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
            var n = members.Count;
            var take = 0;
            if (validationFraction > 0 && n >= 2)
            {
                take = Math.Clamp((int)Math.Round(n * validationFraction, MidpointRounding.AwayFromZero), 1, n - 1);
            }

            StableRandom.For(seed, Classes[group.Key]).Shuffle(members);
            validation.AddRange(members.Take(take));
            train.AddRange(members.Skip(take));
        }

        return new DatasetSplit(Sorted(train), Sorted(validation));
    }

    /// <summary>
    /// A copy without the given images (e.g. files that could not be decoded). Paths are compared
    /// after <see cref="Path.GetFullPath(string)"/>; unknown paths are ignored. Classes and class
    /// indices are kept, so a trained head's outputs still line up.
    /// </summary>
    /// <exception cref="DatasetException">Removing the images leaves a class with fewer than two images.</exception>
    public ImageDataset Without(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var drop = new HashSet<string>(paths.Select(Path.GetFullPath), StringComparer.Ordinal);
        return Create(Classes, Images.Where(i => !drop.Contains(i.Path)).ToList());
    }

    private static ImageDataset Create(IReadOnlyList<string> classes, IReadOnlyList<LabeledImage> images)
    {
        var dataset = new ImageDataset(classes, images);
        DatasetValidation.EnsureTrainable(classes, dataset.CountPerClass());
        return dataset;
    }

    private static List<LabeledImage> Sorted(IEnumerable<LabeledImage> images) =>
        images.OrderBy(i => i.ClassIndex).ThenBy(i => i.Path, StringComparer.Ordinal).ToList();

    private static IEnumerable<string> EnumerateImages(DirectoryInfo dir)
    {
        foreach (var file in dir.EnumerateFiles())
        {
            // A file whose name is not UTF-8 is kept, so that decoding reports it by name instead of it vanishing.
            if ((IsUnreadableName(file) || !IsHidden(file)) && ImageExtensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase))
            {
                yield return file.FullName;
            }
        }

        foreach (var sub in dir.EnumerateDirectories())
        {
            if (IsUnreadableName(sub))
            {
                throw UnreadableName(sub, "folder");
            }

            // Skip hidden folders and symbolic links to folders (a link cycle would never end).
            if (IsHidden(sub) || sub.LinkTarget is not null)
            {
                continue;
            }

            foreach (var path in EnumerateImages(sub))
            {
                yield return path;
            }
        }
    }

    /// <summary>A name that is not valid UTF-8 is listed with replacement characters and cannot be opened by that name;
    /// its attributes then read as "all set", hidden included, which used to drop such a class without a word.</summary>
    private static bool IsUnreadableName(FileSystemInfo info) =>
        info.Name.Contains('\uFFFD', StringComparison.Ordinal) && !info.Exists;

    /// <summary>Dropping such a folder would silently train without its images, so it is an error.</summary>
    private static DatasetException UnreadableName(DirectoryInfo dir, string what) =>
        new(DatasetException.UnreadableNameCode,
            $"{what} '{dir.FullName}' has a name that is not valid UTF-8, which .NET cannot open, so its images cannot be read; rename the folder to a UTF-8 name.");

    private static bool IsHidden(FileSystemInfo info) =>
        info.Name.StartsWith('.') || (info.Attributes & FileAttributes.Hidden) != 0;

    /// <summary>The full path of <paramref name="path"/>, or a <c>not-found</c> <see cref="DatasetException"/> worded by
    /// <paramref name="notFound"/> when <paramref name="exists"/> says it is not there.</summary>
    private static string Existing(string path, Func<string, bool> exists, Func<string, string> notFound)
    {
        var full = Path.GetFullPath(path);
        return exists(full) ? full : throw new DatasetException(DatasetException.NotFoundCode, notFound(full));
    }
}
