using ModelZoo.Cli.Infrastructure;
using ModelZoo.Runtime;
using ModelZoo.Training.Heads;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Infrastructure;

/// <summary>Enum options read their lower-case member names only and report a wrong value with the option's name.</summary>
public sealed class ChoiceConverterTests
{
    [Fact]
    public void Names_are_the_lower_case_members_and_nothing_else_parses()
    {
        Assert.Equal(HeadKind.Mlp, ChoiceConverter<HeadKind>.Parse("mlp"));
        Assert.Equal("linear or mlp", ChoiceConverter<HeadKind>.Choices);
        Assert.Throws<ChoiceException>(() => ChoiceConverter<HeadKind>.Parse("Mlp"));
        Assert.Throws<ChoiceException>(() => ChoiceConverter<HeadKind>.Parse("1"));
        Assert.Equal("cuda", ChoiceConverter<ExecutionProvider>.NameOf(ExecutionProvider.Cuda));
    }

    [Theory]
    [InlineData("--device", "tpu")]
    [InlineData("--device=tpu")]
    [InlineData("--format", "parquet")]
    public void A_wrong_value_is_a_usage_error_naming_the_option_and_the_choices(params string[] option)
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), ["embed", "imagenet/resnet18/feature_vector", "samples", .. option]);

        Assert.Equal(2, result.ExitCode);
        var expected = option[0] == "--format" ? "--format must be json, csv or npy, not 'parquet'" : "--device must be cpu or cuda, not 'tpu'";
        Assert.Contains(expected, result.AllText);
        Assert.Contains("zoo --help", result.AllText);
    }
}
