namespace ModelZoo.Cli.Infrastructure;

/// <summary>The CPU's vector and int8 instruction flags that decide how fast a model runs, as the OS reports them;
/// empty where the OS has no <c>/proc/cpuinfo</c> (the figures then stand without them).</summary>
public static class CpuFeatures
{
    private static readonly string[] Reported = ["avx2", "avx512f", "avx512_vnni", "avx_vnni"];

    /// <summary>The reported flags present on this machine, in a fixed order.</summary>
    public static IReadOnlyList<string> Flags()
    {
        var info = Path.Combine(Path.DirectorySeparatorChar + "proc", "cpuinfo");
        if (!File.Exists(info))
        {
            return [];
        }
        try
        {
            var line = File.ReadLines(info).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            var flags = line?.Split(':', 2) is [_, var list] ? list.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) : [];
            return Reported.Where(flags.Contains).ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
