using ModelZoo.Catalog;
using ModelZoo.Server.InferenceProtocol;

namespace ModelZoo.Server.Tests.InferenceProtocol;

public sealed class V2ModelNamesTests
{
    [Fact]
    public void Every_built_in_handle_maps_to_a_path_safe_v2_name_and_back()
    {
        var handles = ModelCatalog.LoadBuiltin().Cards.Select(c => c.Handle).ToList();
        Assert.NotEmpty(handles);
        var names = handles.Select(V2ModelNames.FromHandle).ToList();
        Assert.All(names, n => Assert.True(n.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-' or '~'), n));
        Assert.Equal(handles.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(handles, names.Select(V2ModelNames.ToHandle));
        Assert.Equal("imagenet~mobilenet_v2_int8~classification", V2ModelNames.FromHandle("imagenet/mobilenet_v2_int8/classification"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("imagenet/mobilenet")]
    [InlineData("single")]
    [InlineData("Upper~Case")]
    [InlineData("a~~b")]
    [InlineData("..~..")]
    public void Names_that_cannot_be_handles_map_to_nothing(string? name) => Assert.Null(V2ModelNames.ToHandle(name));
}
