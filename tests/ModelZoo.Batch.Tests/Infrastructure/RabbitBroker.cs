using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ModelZoo.Batch.Tests.Infrastructure;

/// <summary>
/// A real RabbitMQ node (Debian's <c>rabbitmq-server</c>, installed by <c>scripts/install-test-deps.sh</c>) on loopback,
/// on free ports, with its own data folder, node name and epmd port, so that it shares nothing with a system broker
/// or another test run. Started directly (<c>/usr/lib/rabbitmq/bin/rabbitmq-server</c>) so it runs as the test's user.
/// </summary>
public sealed class RabbitBroker : IAsyncLifetime
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoo-rabbit-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;
    private int _epmdPort;

    public int Port { get; private set; }

    /// <summary>The broker address for <c>--broker</c>.</summary>
    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Server), $"{Server} is missing; run scripts/install-test-deps.sh (it installs Debian's rabbitmq-server).");
        Directory.CreateDirectory(Path.Combine(_root, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_root, "log"));
        // No plugins: the broker starts faster and needs nothing else.
        await File.WriteAllTextAsync(Path.Combine(_root, "enabled_plugins"), "[].");
        Port = FreePort();
        _epmdPort = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the node (again, after <see cref="StopAsync"/>), keeping its data, and waits until it accepts AMQP.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_root, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_root, "log");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_root, "enabled_plugins");
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        start.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_NODENAME"] = $"zoo{Port}@localhost";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            Assert.False(_process.HasExited, $"rabbitmq-server exited with {(_process.HasExited ? _process.ExitCode : 0)}; see {Path.Combine(_root, "log")}.");
            try
            {
                await using var broker = await BatchBroker.ConnectAsync(Uri, "test probe");
                return;
            }
            catch (BatchException)
            {
                await Task.Delay(500);
            }
        }
        Assert.Fail($"rabbitmq-server did not accept connections on port {Port} within 3 minutes; see {Path.Combine(_root, "log")}.");
    }

    /// <summary>Stops the node (as if it crashed: the whole process tree is killed); its data stays for a restart.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        // The node started an epmd of its own on its own port; stop that one only.
        try
        {
            using var epmd = Process.Start(new ProcessStartInfo("epmd", ["-port", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            await epmd!.WaitForExitAsync();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No epmd on PATH: nothing of ours to stop.
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Tests that share one broker.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitCollection : ICollectionFixture<RabbitBroker>
{
    public const string Name = "RabbitMQ";
}
