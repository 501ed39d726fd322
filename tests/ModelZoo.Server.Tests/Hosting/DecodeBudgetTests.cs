using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelZoo.Server.Hosting;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Hosting;

/// <summary>Runs alone (no other test class allocates meanwhile), so that the process's memory is this test's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DecodeBudgetCollection : ICollectionFixture<MobileNetHome>
{
    public const string Name = "Decode budget";
}

[Collection(DecodeBudgetCollection.Name)]
public sealed class DecodeBudgetTests(MobileNetHome home, Xunit.Abstractions.ITestOutputHelper log)
{
    private const long Budget = 400L * 1024 * 1024;

    [Fact]
    public async Task Sixteen_concurrent_7000x7000_pngs_stay_within_the_decode_budget_and_the_memory_comes_back()
    {
        var png = HostileImages.Png7000;
        Assert.InRange(png.Length, 10_000, 2_000_000);
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.DecodeBudgetBytes = Budget;
            o.RequestTimeout = TimeSpan.FromMinutes(3);
            o.Session = new Runtime.SessionSettings { IntraOpThreads = 1 };
        });
        await server.WaitReadyAsync();
        // One ordinary request first, so that lazily created native state is not counted as the images' cost.
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("/v1/models/" + MobileNetHome.Handle + ":predict", new ByteArrayContent(dog))).StatusCode);

        using var process = Process.GetCurrentProcess();
        var baselineHeap = SettledHeap();
        process.Refresh();
        var baselineWorkingSet = process.WorkingSet64;
        long peakWorkingSet = baselineWorkingSet, peakHeap = 0;
        var gen2 = GC.CollectionCount(2);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var content = new ByteArrayContent(png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            var response = await server.Client.PostAsync("/v1/models/" + MobileNetHome.Handle + ":predict?top=1", content);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).WaitAsync(TimeSpan.FromMinutes(5));
        await sampling.CancelAsync();
        await sampler;

        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode} {r.Body}"));
        Assert.All(responses, r => Assert.Single(JsonDocument.Parse(r.Body).RootElement.GetProperty("predictions").EnumerateArray()));
        var budget = server.App.Services.GetRequiredService<DecodeBudget>();
        Assert.InRange(budget.PeakBytes, 1, Budget);
        Assert.Equal(0, budget.UsedBytes);
        // Decoded at full size, 16 of them would hold 16 × (196 MB RGBA + 147 MB RGB) = 5.5 GB. The bound is generous:
        // the budget, plus the models' and the runtime's own working memory.
        var growth = peakWorkingSet - baselineWorkingSet;
        Assert.True(growth < Budget + 768L * 1024 * 1024, $"the working set grew by {growth >> 20} MB under a {Budget >> 20} MB decode budget " +
            $"(managed heap at most {peakHeap >> 20} MB, from {baselineHeap >> 20} MB; {GC.CollectionCount(2) - gen2} full collections)");
        var retained = SettledHeap() - baselineHeap;
        log.WriteLine($"peak charged {budget.PeakBytes >> 20} MB of {Budget >> 20} MB; working set +{growth >> 20} MB at most " +
            $"(managed heap at most {peakHeap >> 20} MB); {retained >> 20} MB of managed heap retained afterwards");
        Assert.True(retained < 64L * 1024 * 1024, $"{retained >> 20} MB of managed heap stayed after the requests");
    }

    private static long SettledHeap()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
