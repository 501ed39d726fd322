using System.Text.Json;
using Microsoft.Playwright;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Web;

/// <summary>The web page with a face model in headless Chromium: pick the task and model, upload the astronaut, see her face boxed.</summary>
[Collection(RealModelsCollection.Name)]
public sealed class WebPageFacesTests(RealModelsServer fixture)
{
    [Fact]
    public async Task Picking_face_detection_and_uploading_the_astronaut_draws_her_face_box_and_lists_the_face()
    {
        var chromium = Environment.GetEnvironmentVariable(WebPageTests.ChromiumVariable) is { Length: > 0 } custom ? custom : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is missing at {chromium}; run scripts/install-test-deps.sh (it installs Debian's chromium) or set {WebPageTests.ChromiumVariable}.");
        // The same request the page makes, to know where the box must be.
        using var api = await fixture.PredictAsync(RealModelsServer.Faces, await File.ReadAllBytesAsync(RealModelsServer.Astronaut));
        var box = Assert.Single(api.RootElement.GetProperty("faces").EnumerateArray()).GetProperty("box");

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
        await page.GotoAsync(fixture.Server.BaseUri.ToString());

        await page.Locator("#task option[value='face-detection']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#task", "face-detection");
        var offered = await page.Locator("#model option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains(RealModelsServer.Faces, offered);
        Assert.DoesNotContain(MobileNetHome.Handle, offered);
        await page.SelectOptionAsync("#model", RealModelsServer.Faces);
        await page.SetInputFilesAsync("#file", RealModelsServer.Astronaut);
        await page.Locator("#canvas[data-drawn^='faces:']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

        Assert.Equal("faces:1", await page.GetAttributeAsync("#canvas", "data-drawn"));
        var items = await page.Locator("#results li.prediction").AllInnerTextsAsync();
        var item = Assert.Single(items);
        Assert.Contains("face 1", item);
        Assert.Contains("happy", item);
        // The box's left edge is drawn in the page's face green (#12b76a) half way down the face.
        var pixel = await page.EvalOnSelectorAsync<int[]>("#canvas", "(c, p) => Array.from(c.getContext('2d').getImageData(p[0], p[1], 1, 1).data)",
            new[] { (int)Math.Round(box.GetProperty("x").GetDouble()), (int)(box.GetProperty("y").GetDouble() + box.GetProperty("height").GetDouble() / 2) });
        Assert.True(pixel[1] > 150 && pixel[0] < 60 && pixel[2] < 140, $"face box edge pixel {string.Join(",", pixel)}");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "web-page-faces.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should hold the rendered page");
        Assert.Empty(failedRequests);
    }
}
