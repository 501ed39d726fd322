using System.Net;
using System.Text;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Cloud;

[Collection(MobileNetCollection.Name)]
public sealed class VisionApiTests(MobileNetHome home)
{
    [Fact]
    public async Task Annotate_answers_label_detection_per_request_and_errors_per_request_for_what_it_cannot_answer()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.ApiKey = "vision-key";
        });
        var dog = Convert.ToBase64String(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto));
        var body = JsonSerializer.Serialize(new
        {
            requests = new object[]
            {
                new { image = new { content = dog }, features = new[] { new { type = "LABEL_DETECTION", maxResults = 3 } } },
                new { image = new { content = dog }, features = new[] { new { type = "CROP_HINTS", maxResults = 3 } } },
                new { image = new { content = Convert.ToBase64String("nope"u8.ToArray()) }, features = new[] { new { type = "LABEL_DETECTION", maxResults = 3 } } },
                new { image = new { content = dog }, features = new[] { new { type = "OBJECT_LOCALIZATION", maxResults = 3 } } },
            },
        });

        var unauthorized = await server.Client.PostAsync("/v1/images:annotate", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        var response = await server.Client.PostAsync("/v1/images:annotate?key=vision-key", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var responses = document.RootElement.GetProperty("responses").EnumerateArray().ToList();
        Assert.Equal(4, responses.Count);

        var labels = responses[0].GetProperty("labelAnnotations").EnumerateArray().ToList();
        Assert.Equal(3, labels.Count);
        foreach (var label in labels)
        {
            Assert.Equal("", label.GetProperty("mid").GetString());
            Assert.False(string.IsNullOrWhiteSpace(label.GetProperty("description").GetString()));
            Assert.InRange(label.GetProperty("score").GetSingle(), 0f, 1f);
            Assert.Equal(label.GetProperty("score").GetSingle(), label.GetProperty("topicality").GetSingle());
        }

        foreach (var index in new[] { 1, 2, 3 })
        {
            var error = responses[index].GetProperty("error");
            Assert.Equal(3, error.GetProperty("code").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }
        Assert.Contains("CROP_HINTS", responses[1].GetProperty("error").GetProperty("message").GetString());
        // No detector is configured or preloaded, so OBJECT_LOCALIZATION says which option to set.
        Assert.Contains("ZooServerOptions.ObjectsModel", responses[3].GetProperty("error").GetProperty("message").GetString());
    }
}
