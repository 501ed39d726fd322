using System.Net;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Hosting;

/// <summary>The server opens models through the store's verified path: a blob damaged on disk is an error response, never an answer.</summary>
public sealed class CorruptBlobTests
{
    [Fact]
    public async Task A_damaged_model_file_gives_an_error_response_not_a_wrong_answer()
    {
        using var home = new TempHome();
        var path = (await MobileNetStore.PullAsync(home.Settings())).ModelPath;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            // Same length, other bytes: what a failing disk or a write through the store's hard link leaves.
            stream.Position = stream.Length / 2;
            var original = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(original ^ 0x5A));
        }

        await using var server = await RunningServer.StartAsync(home.Settings(offline: true), o => o.AllowPull = true);
        var response = await server.Client.PostAsync($"/v1/models/{MobileNetStore.Handle}:predict",
            new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True((int)response.StatusCode >= 500, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("is corrupt", body);
        Assert.Contains($"zoo pull {MobileNetStore.Handle}", body);
        Assert.DoesNotContain("   at ", body);
        Assert.False(File.Exists(path), "the damaged copy must not stay in the store");
    }
}
