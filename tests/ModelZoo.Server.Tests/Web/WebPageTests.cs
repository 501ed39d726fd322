using Microsoft.Playwright;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Web;

/// <summary>The web page in a real headless Chromium (Debian's, driven by Playwright): upload, pick a model, read the labels.</summary>
[Collection(MobileNetCollection.Name)]
public sealed class WebPageTests(MobileNetHome home)
{
    /// <summary>Overrides the browser binary (default: Debian's chromium).</summary>
    public const string ChromiumVariable = "ZOO_CHROMIUM";

    [Fact]
    public async Task Uploading_the_dog_photo_with_the_MobileNet_classifier_shows_a_dog_label()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } custom ? custom : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is missing at {chromium}; run scripts/install-test-deps.sh (it installs Debian's chromium) or set {ChromiumVariable}.");
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        await server.WaitReadyAsync();

        // The same request the page makes, through the API, to know which label the page must show first.
        var api = await server.Client.PostAsync($"/v1/models/{MobileNetHome.Handle}:predict?top=5",
            new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto)));
        var expected = Http.NativeApiTests.Predictions(await api.Content.ReadAsStringAsync());
        Assert.InRange(expected[0].Index, 151, 268);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        var failedRequests = new List<string>();
        page.RequestFailed += (_, request) => failedRequests.Add(request.Url);
        await page.GotoAsync(server.BaseUri.ToString());

        await page.Locator($"#model option[value='{MobileNetHome.Handle}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#model", MobileNetHome.Handle);
        await page.SetInputFilesAsync("#file", MobileNetHome.DogPhoto);
        await page.Locator("#results li.prediction").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        var labels = await page.Locator("#results .label").AllInnerTextsAsync();
        Assert.Equal(5, labels.Count);
        Assert.Equal(expected[0].Label, labels[0]);
        Assert.Contains("answered", await page.Locator("#status").InnerTextAsync());
        var canvasWidth = await page.EvalOnSelectorAsync<int>("#canvas", "c => c.width");
        Assert.True(canvasWidth > 0, "the picked image should be drawn on the canvas");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "web-page-dog.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should hold the rendered page");
        Assert.Empty(failedRequests);
    }
}
