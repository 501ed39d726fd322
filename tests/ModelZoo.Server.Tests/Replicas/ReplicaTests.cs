using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Replicas;

/// <summary>
/// Two <c>zoo serve</c> processes over one store behind Debian's nginx on loopback: both serve, neither writes to the
/// store, and killing one (SIGKILL) under bounded load fails no request — nginx moves them to the other.
/// </summary>
[Collection(MobileNetCollection.Name)]
public sealed class ReplicaTests(MobileNetHome home) : IDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoo-replicas-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Two_replicas_share_the_store_read_only_and_one_killed_under_load_fails_no_request()
    {
        Assert.True(File.Exists(Nginx), $"{Nginx} is missing; run scripts/install-test-deps.sh (it installs Debian's nginx).");
        var store = home.Settings.Home;
        var before = Snapshot(store);
        var ports = new[] { LocalProcess.FreePort(), LocalProcess.FreePort() };
        var front = LocalProcess.FreePort();
        var replicas = ports.Select(p => LocalProcess.Zoo(store, "serve", "--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--models", MobileNetHome.Handle, "--threads", "1")).ToList();
        using var nginx = StartNginx(front, ports);
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            foreach (var (port, replica) in ports.Zip(replicas))
            {
                await WaitReadyAsync(client, $"http://127.0.0.1:{port}/readyz", replica);
            }
            await WaitReadyAsync(client, $"http://127.0.0.1:{front}/readyz", nginx);

            var image = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
            var url = $"http://127.0.0.1:{front}/v1/models/{MobileNetHome.Handle}:predict?top=1";
            const int total = 120;
            var results = new List<(int Order, HttpStatusCode Status, string Upstream, int Index)>();
            var next = -1;
            var finished = 0;
            var killedAfter = -1;
            var load = Enumerable.Range(0, 4).Select(async _ =>
            {
                int order;
                while ((order = Interlocked.Increment(ref next)) < total)
                {
                    using var body = new ByteArrayContent(image);
                    body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                    using var response = await client.PostAsync(url, body);
                    var index = -1;
                    if (response.IsSuccessStatusCode)
                    {
                        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                        index = json.RootElement.GetProperty("predictions")[0].GetProperty("index").GetInt32();
                    }
                    var upstream = response.Headers.TryGetValues("X-Upstream", out var values) ? string.Join(",", values) : "";
                    lock (results)
                    {
                        results.Add((order, response.StatusCode, upstream, index));
                    }
                    if (Interlocked.Increment(ref finished) == 40)
                    {
                        // Mid-run, with requests in flight on both replicas.
                        replicas[0].Kill();
                        killedAfter = order;
                    }
                }
            }).ToList();
            await Task.WhenAll(load);

            Assert.Equal(total, results.Count);
            Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, $"request {r.Order} got {(int)r.Status} via {r.Upstream}"));
            Assert.Single(results.Select(r => r.Index).Distinct());
            Assert.InRange(results[0].Index, 151, 268);
            var first = $"127.0.0.1:{ports[0]}";
            var second = $"127.0.0.1:{ports[1]}";
            Assert.Contains(results, r => r.Upstream.EndsWith(first, StringComparison.Ordinal));
            Assert.Contains(results, r => r.Upstream.EndsWith(second, StringComparison.Ordinal));
            Assert.True(killedAfter >= 0, "the first replica was killed mid-run");
            Assert.True(replicas[0].HasExited);
            Assert.False(replicas[1].HasExited, replicas[1].Output);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                replica.Dispose();
            }
        }
        // Serving opened the pulled model and wrote nothing: no lock files, no temporary files, no changed blobs.
        Assert.Equal(before, Snapshot(store));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private LocalProcess StartNginx(int front, int[] ports)
    {
        Directory.CreateDirectory(_root);
        var servers = string.Join("\n", ports.Select(p => $"    server 127.0.0.1:{p} max_fails=1 fail_timeout=60s;"));
        var config = $$"""
            # One process: killing it leaves no orphaned worker holding the test's pipes.
            master_process off;
            worker_processes 1;
            pid {{_root}}/nginx.pid;
            error_log {{_root}}/error.log;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{_root}}/body;
              proxy_temp_path {{_root}}/proxy;
              fastcgi_temp_path {{_root}}/fastcgi;
              uwsgi_temp_path {{_root}}/uwsgi;
              scgi_temp_path {{_root}}/scgi;
              client_max_body_size 20m;
              upstream zoo {
            {{servers}}
              }
              server {
                listen 127.0.0.1:{{front}};
                location / {
                  proxy_pass http://zoo;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  # Predictions are pure functions of the body, so a POST that met a dead replica may go to the next one.
                  proxy_next_upstream error timeout http_502 http_503 non_idempotent;
                  proxy_connect_timeout 2s;
                  add_header X-Upstream $upstream_addr always;
                }
              }
            }
            """;
        var path = Path.Combine(_root, "nginx.conf");
        File.WriteAllText(path, config);
        var start = new ProcessStartInfo(Nginx);
        foreach (var arg in new[] { "-p", _root, "-e", Path.Combine(_root, "error.log"), "-c", path, "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }
        return LocalProcess.Start(start);
    }

    private static async Task WaitReadyAsync(HttpClient client, string url, LocalProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            Assert.False(process.HasExited, $"{url}: the process ended:\n{process.Output}");
            try
            {
                if ((await client.GetAsync(url)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        Assert.Fail($"{url} was not ready within 3 minutes:\n{process.Output}");
    }

    private static List<string> Snapshot(string root) => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(p => File.Exists(p) ? $"{Path.GetRelativePath(root, p)} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p).Ticks}" : Path.GetRelativePath(root, p) + "/")
        .ToList();
}
