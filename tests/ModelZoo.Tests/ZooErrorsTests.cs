namespace ModelZoo.Tests;

/// <summary>The error catalogue lists each code once, and library code raises errors through it.</summary>
public sealed class ZooErrorsTests
{
    [Fact]
    public void Every_entry_has_a_kebab_case_code_an_exit_code_and_a_next_step()
    {
        Assert.True(ZooErrors.All.Count > 50, $"only {ZooErrors.All.Count} entries");
        foreach (var (code, error) in ZooErrors.All)
        {
            Assert.Equal(code, error.Code);
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", code);
            Assert.Contains(error.ExitCode, new[] { 1, 2 });
            Assert.False(string.IsNullOrWhiteSpace(error.NextStep), code);
        }
        Assert.Equal(2, ZooErrors.Usage.ExitCode);
    }

    [Fact]
    public void An_exception_carries_its_entry_and_exit_code()
    {
        var raised = ZooErrors.DiskFull.Raise("no space; free some.");
        Assert.Equal("disk-full", raised.Code);
        Assert.Same(ZooErrors.DiskFull, raised.Error);
        Assert.Equal(1, raised.ExitCode);
        Assert.Same(ZooErrors.Usage, new ZooUsageException("bad; fix it.").Error);
        Assert.Equal(2, new ZooUsageException("bad; fix it.").ExitCode);
        Assert.Same(ZooErrors.BlobCorrupt, new ZooException("blob-corrupt", "m").Error);
        Assert.Null(new ZooException("not-a-listed-code", "m").Error);
    }

    [Fact]
    public void No_source_file_raises_an_error_by_a_code_literal()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(TestAssets.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("new ZooException(\"", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
    }
}
