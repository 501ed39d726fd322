using System.Text.RegularExpressions;
using ModelZoo.Server.Hosting;
using ModelZoo.Tests;

namespace ModelZoo.Server.Tests.Hosting;

/// <summary>The server's error codes are entries of <see cref="ZooErrors"/> that carry their HTTP status.</summary>
public sealed class ServeErrorCatalogueTests
{
    [Fact]
    public void A_serve_exception_answers_with_its_entrys_status_unless_told_otherwise()
    {
        var full = new ServeException(ZooErrors.QueueFull, "full; retry.");
        Assert.Equal(429, full.StatusCode);
        Assert.Equal("queue-full", full.Code);
        Assert.Same(ZooErrors.QueueFull, full.Error);
        Assert.Equal(411, new ServeException(ZooErrors.BadBody, "no length; send one.", statusCode: 411).StatusCode);
        Assert.Equal(504, new ServeException(ZooErrors.RequestTimeout, "slow; retry.").StatusCode);
    }

    [Fact]
    public void Every_http_status_in_the_catalogue_is_an_error_status()
    {
        var withStatus = ZooErrors.All.Values.Where(e => e.HttpStatus is not null).ToList();
        Assert.True(withStatus.Count >= 25, $"only {withStatus.Count} entries carry an HTTP status");
        Assert.All(withStatus, e => Assert.InRange(e.HttpStatus!.Value, 400, 599));
    }

    [Fact]
    public void No_server_source_names_a_status_and_code_as_literals()
    {
        var literal = new Regex(@"(ServeException|ApiErrors\.Result|=> new)\(\d{3}, """, RegexOptions.CultureInvariant);
        var offenders = Directory.EnumerateFiles(Path.Combine(TestAssets.RepoRoot, "src", "ModelZoo.Server"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => literal.IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.Empty(offenders);
    }
}
