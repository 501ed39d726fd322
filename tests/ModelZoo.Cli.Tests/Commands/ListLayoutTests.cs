using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary>`zoo list` as a user sees it in a narrow terminal or a pipe (a real process, so the real console width).</summary>
public sealed class ListLayoutTests
{
    [Fact]
    public void List_piped_at_80_columns_prints_every_handle_whole_with_its_origin_and_no_line_wider_than_80()
    {
        using var home = new TempHome();
        var env = new Dictionary<string, string?> { ["COLUMNS"] = "80", [ZooSettings.HomeVariable] = home.Path, [ZooSettings.OfflineVariable] = "1" };

        var result = ZooProcess.Run(home.Path, env, TimeSpan.FromMinutes(2), "list");

        Assert.True(result.ExitCode == 0, result.All);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"line wider than 80 columns: '{l}'"));
        var tokens = lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        foreach (var card in ModelCatalog.LoadBuiltin().Cards)
        {
            Assert.Contains(card.Handle, tokens);
        }
        Assert.Contains("nuget", tokens);
        Assert.Contains("npm", tokens);
        Assert.Contains("https", tokens);
        Assert.DoesNotContain(lines, l => l.Contains('…') || l.Contains('╭'));

        env["COLUMNS"] = "200";
        var wide = ZooProcess.Run(home.Path, env, TimeSpan.FromMinutes(2), "list");
        var row = Assert.Single(wide.Stdout.Split('\n'), l => l.StartsWith("imagenet/resnet18/feature_vector ", StringComparison.Ordinal));
        Assert.Equal(["imagenet/resnet18/feature_vector", "image-feature-vector", "nuget", "MIT"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4));
    }
}
