using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ModelZoo.Store;

/// <summary>
/// Reads an embedded manifest resource out of a .NET assembly's bytes without loading the assembly:
/// the ManifestResource table gives the resource's offset inside the CLI resources directory
/// (<see cref="CorHeader.ResourcesDirectory"/>), where each resource is a 4-byte little-endian length
/// followed by its bytes.
/// </summary>
internal static class ManifestResourceReader
{
    /// <summary>Writes resource <paramref name="resourceName"/> of <paramref name="assemblyPath"/> to <paramref name="destination"/>.</summary>
    public static void Extract(string assemblyPath, string label, string resourceName, string destination, long maxBytes)
    {
        try
        {
            ExtractUnchecked(assemblyPath, label, resourceName, destination, maxBytes);
        }
        catch (BadImageFormatException e)
        {
            throw Bad(label, resourceName, $"the file is not a valid .NET assembly ({e.Message})");
        }
    }

    private static unsafe void ExtractUnchecked(string assemblyPath, string label, string resourceName, string destination, long maxBytes)
    {
        using var stream = FileHashing.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata || pe.PEHeaders.CorHeader is null)
        {
            throw Bad(label, resourceName, "the file is not a .NET assembly");
        }
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            names.Add(name);
            if (name != resourceName)
            {
                continue;
            }
            if (!resource.Implementation.IsNil)
            {
                throw Bad(label, resourceName, "the resource lives in another file of the assembly");
            }
            var directory = pe.PEHeaders.CorHeader.ResourcesDirectory;
            var offset = resource.Offset;
            if (offset < 0 || offset + 4 > directory.Size)
            {
                throw Bad(label, resourceName, "its offset lies outside the resources directory");
            }
            var block = pe.GetSectionData(directory.RelativeVirtualAddress + checked((int)offset));
            if (block.Length < 4)
            {
                throw Bad(label, resourceName, "its data lies outside the file's sections");
            }
            var length = block.GetReader().ReadUInt32();
            if (length > directory.Size - offset - 4 || length > block.Length - 4)
            {
                throw Bad(label, resourceName, "its length runs past the resources directory");
            }
            if (length > maxBytes)
            {
                throw new UnsafeArchiveException(label, resourceName, $"resource of {length} bytes, more than the {maxBytes} allowed");
            }
            using var source = new UnmanagedMemoryStream(block.Pointer + 4, length);
            using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            source.CopyTo(output);
            return;
        }
        throw ZooErrors.NotInPackage.Raise(
            $"Assembly {label} has no manifest resource '{resourceName}' (it has: {string.Join(", ", names.Take(10))}); fix the resource name after '!' in the model card's source URI.");
    }

    private static ZooException Bad(string label, string resource, string why) =>
        new(ZooErrors.BadAssembly, $"Cannot read resource '{resource}' from {label}: {why}; check the path before '!' in the model card's source URI.");
}
