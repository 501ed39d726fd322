using System.Security.Cryptography;
using ModelZoo.Import.Tflite;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx;

namespace ModelZoo.Import;

/// <summary>
/// Holds ONNX translations of models published in other formats, each imported once and kept as
/// <c>&lt;Root&gt;/&lt;sha256 of the source model file&gt;.onnx</c>; in a store <c>Root</c> is <c>&lt;Home&gt;/imported</c>.
/// Files are written through a temporary file and a rename, so a reader never sees a partial file. A cached file made
/// by another version of the importer (<see cref="TfjsImporter.ImporterVersion"/> or <see cref="TfliteImporter.ImporterVersion"/>
/// in its metadata) is imported again.
/// </summary>
public sealed class ImportedModelCache
{
    /// <summary>Name of the cache folder under the store home.</summary>
    public const string FolderName = "imported";

    /// <summary>Creates a cache that keeps its files in <paramref name="root"/>.</summary>
    public ImportedModelCache(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The cache of the store at <see cref="ZooSettings.Home"/>.</summary>
    public static ImportedModelCache ForStore(ZooSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ImportedModelCache(Path.Combine(settings.Home, FolderName));
    }

    /// <summary>The folder holding the imported files.</summary>
    public string Root { get; }

    /// <summary>Where the translation of a source file with SHA-256 <paramref name="sourceSha256"/> is kept.</summary>
    public string PathFor(string sourceSha256) => Path.Combine(Root, sourceSha256.ToLowerInvariant() + ".onnx");

    /// <summary>
    /// The ONNX file to run for a pulled model: the model file itself for ONNX cards; for TFJS and TFLite cards the cached
    /// translation of its <c>model.json</c> or <c>.tflite</c> file, imported now if missing. The cache is the store's
    /// (<c>&lt;Home&gt;/imported</c>) when the model lives in a store, else an <c>imported</c> folder beside the model file.
    /// </summary>
    /// <exception cref="ZooException">The card's format cannot be imported yet, or the import fails.</exception>
    public static string RunnableModelPath(LocalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Card.Format switch
        {
            ModelFormat.Onnx => model.ModelPath,
            ModelFormat.Tfjs => new ImportedModelCache(CacheRootFor(model.ModelPath)).GetOrImportTfjs(model.ModelPath),
            ModelFormat.Tflite => new ImportedModelCache(CacheRootFor(model.ModelPath)).GetOrImportTflite(model.ModelPath),
            _ => throw ZooErrors.FormatNotImportable.Raise(
                $"Model '{model.Card.Handle}' is published as {model.Card.Format}, which cannot be imported to ONNX yet; choose an ONNX, TFJS or TFLite model (`zoo list`)."),
        };
    }

    /// <summary>Returns the path of the cached ONNX translation of <paramref name="modelJsonPath"/>, importing it first when
    /// it is not cached (or was made by another importer version).</summary>
    /// <exception cref="TfjsModelException">The model cannot be read.</exception>
    /// <exception cref="UnsupportedOperatorsException">The graph uses ops the importer cannot translate.</exception>
    public string GetOrImportTfjs(string modelJsonPath, TfjsImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelJsonPath);
        TfjsImporter.RequireRegularContent(modelJsonPath);
        return GetOrImport(modelJsonPath, TfjsImporter.ImporterVersion, () => TfjsImporter.Import(modelJsonPath, options),
            (message, ex) => new TfjsModelException(modelJsonPath, message, ex));
    }

    /// <summary>Returns the path of the cached ONNX translation of the TFLite file <paramref name="tflitePath"/>, importing
    /// it first when it is not cached (or was made by another importer version).</summary>
    /// <exception cref="TfliteModelException">The file cannot be read.</exception>
    /// <exception cref="TfliteUnsupportedOperatorsException">The model uses operators the importer cannot translate.</exception>
    public string GetOrImportTflite(string tflitePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tflitePath);
        return GetOrImport(tflitePath, TfliteImporter.ImporterVersion, () => TfliteImporter.Import(tflitePath),
            (message, ex) => new TfliteModelException(tflitePath, message, ex));
    }

    /// <summary>The translation is keyed by the SHA-256 of the source file and kept while its importer version holds.</summary>
    private string GetOrImport(string sourcePath, string importerVersion, Func<OnnxModel> import, Func<string, Exception, Exception> unreadable)
    {
        string sha;
        try
        {
            using var stream = File.OpenRead(sourcePath);
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw unreadable($"Cannot read '{sourcePath}': {ex.Message}; pull the model again.", ex);
        }
        var target = PathFor(sha);
        if (IsCurrent(target, importerVersion))
        {
            return target;
        }
        var model = import();
        Directory.CreateDirectory(Root);
        model.Save(target);
        return target;
    }

    private static bool IsCurrent(string path, string importerVersion)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            var model = OnnxModel.Load(path);
            return model.Metadata.TryGetValue("modelzoo.importer", out var version) && version == importerVersion;
        }
        catch (ZooException)
        {
            return false; // a damaged file is replaced
        }
    }

    // Store files live at <Home>/models/<handle>/<version>/<name>; anything else caches beside the model file.
    private static string CacheRootFor(string modelPath)
    {
        var versionDir = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        var modelsDir = versionDir is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(versionDir));
        var home = modelsDir is null ? null : Path.GetDirectoryName(modelsDir);
        if (modelsDir is not null && home is not null && Path.GetFileName(modelsDir) == "models"
            && (File.Exists(Path.Combine(home, "CACHEDIR.TAG")) || Directory.Exists(Path.Combine(home, "blobs"))))
        {
            return Path.Combine(home, FolderName);
        }
        return Path.Combine(versionDir ?? ".", FolderName);
    }
}
