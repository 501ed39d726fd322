using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelZoo.Server.Hosting;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>A ModelZoo server started in-process on a free loopback port, with an HTTP client pointed at it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, ZooServerOptions options)
    {
        App = app;
        Options = options;
        BaseUri = ZooServer.Addresses(app)[0];
        Client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromMinutes(2) };
    }

    public WebApplication App { get; }

    public ZooServerOptions Options { get; }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    public string Metrics => Client.GetStringAsync("/metrics").GetAwaiter().GetResult();

    public static async Task<RunningServer> StartAsync(ZooSettings settings, Action<ZooServerOptions>? configure = null,
        CapturedLogs? logs = null)
    {
        var options = new ZooServerOptions { Settings = settings };
        configure?.Invoke(options);
        var app = ZooServer.Build(options, "127.0.0.1", 0, logs is null ? null : logs.Attach);
        await app.StartAsync();
        return new RunningServer(app, options);
    }

    /// <summary>Waits until the preloaded models are warm (what /readyz reports).</summary>
    public Task WaitReadyAsync() => App.Services.GetRequiredService<ModelWarmup>().Ready.WaitAsync(TimeSpan.FromMinutes(2));

    /// <summary>Requests waiting in a model's batcher.</summary>
    public int QueueDepth(string handle)
    {
        var line = Metrics.Split('\n').FirstOrDefault(l => l.StartsWith($"zoo_queue_depth{{model=\"{handle}\"}}", StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
