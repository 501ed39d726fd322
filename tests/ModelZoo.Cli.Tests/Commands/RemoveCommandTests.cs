using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Tasks;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary><c>zoo rm</c> drops the cached copy only; for a card the user registered it says that the card is still
/// listed and which command takes it out, then that command does.</summary>
public sealed class RemoveCommandTests
{
    [Fact]
    public void Rm_of_a_registered_card_says_it_stays_listed_and_card_rm_takes_it_out()
    {
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var spec = new InputSpec { Width = 64, Height = 64, Resize = ResizeMode.Letterbox };
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov8", spec, [new T("output0", [32, 32, 16, 8, 0.1f, 0.9f], 1, 6, 1)], ["cat", "dog"]);
        ModelCatalog.Load(settings).Register(fixture.Card, settings);
        var handle = fixture.Card.Handle;

        var rm = CliRunner.Run(settings, "rm", handle);
        Assert.True(rm.ExitCode == 0, rm.AllText);
        Assert.Contains($"{handle} is still registered", rm.AllText, StringComparison.Ordinal);
        Assert.Contains($"zoo card rm {handle}", rm.AllText, StringComparison.Ordinal);
        Assert.Contains(handle, CliRunner.Run(settings, "list").AllText, StringComparison.Ordinal);

        var cardRm = CliRunner.Run(settings, "card", "rm", handle);
        Assert.True(cardRm.ExitCode == 0, cardRm.AllText);
        Assert.DoesNotContain(handle, CliRunner.Run(settings, "list").AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Rm_of_a_builtin_card_says_nothing_of_registration()
    {
        using var home = new TempHome();
        var rm = CliRunner.Run(home.Settings(offline: true), "rm", "coco/nanodet/detection");
        Assert.True(rm.ExitCode == 0, rm.AllText);
        Assert.Contains("was not cached", rm.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("still registered", rm.AllText, StringComparison.Ordinal);
    }
}
