using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// Pulls the catalog's MobileNet v2 int8 card through its real download path, with the public host replaced by
/// a loopback server that serves the published bytes from <c>shared/testdata/imagenet/</c>.
/// </summary>
public static class MobileNetStore
{
    public const string Handle = "imagenet/mobilenet_v2_int8/classification";

    /// <param name="settings">The store to pull into.</param>
    /// <param name="requireDownload">Fail unless the bytes came from the stand-in server; off for a store shared by
    /// concurrent tests, where another test may have pulled the model between a cache check and this pull.</param>
    public static async Task<LocalModel> PullAsync(ZooSettings settings, bool requireDownload = true)
    {
        var card = ModelCatalog.LoadBuiltin().Get(Handle);
        var folder = Path.GetDirectoryName(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"))!;
        using var server = new LocalFileServer(folder);
        using var store = new ModelStore(settings, server.RedirectingHandler());
        var model = await store.PullAsync(card);
        Assert.True(!requireDownload || server.Requests >= 1, "the store should have downloaded the model from the stand-in server");
        return model;
    }
}
