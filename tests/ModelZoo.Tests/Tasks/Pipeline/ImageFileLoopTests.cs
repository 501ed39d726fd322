using ModelZoo.Imaging;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Tasks.Pipeline;

/// <summary>The file loop's three stages (decode ahead, inference on the loop's thread, postprocessing on a worker):
/// order, one postprocessing at a time, errors after the results owed, and every image freed when a caller stops.</summary>
public sealed class ImageFileLoopTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zoo-file-loop-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _files = [];

    public ImageFileLoopTests()
    {
        Directory.CreateDirectory(_folder);
        // Each file's width names it, so a result can be checked against the file it came out for.
        for (var i = 0; i < 12; i++)
        {
            var path = Path.Combine(_folder, $"{i:D2}.png");
            using var image = RgbImage.FromPixels(10 + i, 8, new byte[3 * (10 + i) * 8]);
            Annotator.SavePng(image, new Annotations(), path);
            _files.Add(path);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Results_come_out_in_input_order_with_one_postprocessing_at_a_time(int batchSize)
    {
        var running = 0;
        var overlapped = false;
        var postprocessed = new List<int>();
        var outcomes = new List<ImageOutcome<int>>();
        await foreach (var outcome in ImageFileLoop.RunAsync<int, int>(_files, batchSize, null, null, Identity, batch =>
        {
            var widths = batch.Select(b => b.Image.Width).ToList();
            return () =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                Thread.Sleep(5);
                lock (postprocessed)
                {
                    postprocessed.AddRange(widths);
                }
                Interlocked.Decrement(ref running);
                return widths;
            };
        }, _ => default, null))
        {
            outcomes.Add(outcome);
        }

        Assert.Equal(_files, outcomes.Select(o => o.Path));
        Assert.Equal(Enumerable.Range(10, 12), outcomes.Select(o => o.Value));
        Assert.Equal(Enumerable.Range(10, 12), postprocessed);
        Assert.False(overlapped, "two batches were postprocessed at once");
    }

    [Theory]
    [InlineData(true, 14, "inference failed on the fifth file", 4)]
    [InlineData(false, 17, "postprocessing failed on the eighth file", 7)]
    public async Task An_error_comes_after_the_results_of_the_batches_before_it(bool inInference, int failingWidth, string message, int before)
    {
        var outcomes = new List<string>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var outcome in ImageFileLoop.RunAsync<int, int>(_files, 1, null, null, Identity, batch =>
            {
                var width = batch[0].Image.Width;
                if (inInference && width == failingWidth)
                {
                    throw new InvalidOperationException(message);
                }
                return () => width == failingWidth ? throw new InvalidOperationException(message) : [width];
            }, _ => default, null))
            {
                outcomes.Add(outcome.Path);
            }
        });

        Assert.Equal(message, error.Message);
        Assert.Equal(_files.Take(before), outcomes);
    }

    [Fact]
    public async Task A_caller_that_stops_early_leaves_no_decoded_image_alive()
    {
        var decoded = new List<RgbImage>();
        await foreach (var outcome in ImageFileLoop.RunAsync<int, int>(_files, 1, null, null, scaled =>
        {
            lock (decoded)
            {
                decoded.Add(scaled.Image);
            }
            return 0;
        }, batch => () => [0], _ => default, null))
        {
            if (outcome.Path == _files[2])
            {
                break;
            }
        }

        Assert.True(decoded.Count >= 3, $"{decoded.Count} files decoded before the caller stopped at the third");
        Assert.All(decoded, image => Assert.Throws<ObjectDisposedException>(() => image.Pixels.Length));
    }

    [Fact]
    public async Task Cancelling_mid_run_stops_it_and_frees_every_decoded_image()
    {
        using var cancel = new CancellationTokenSource();
        var decoded = new List<RgbImage>();
        var outcomes = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var outcome in ImageFileLoop.RunAsync<int, int>(_files, 1, null, null, scaled =>
            {
                lock (decoded)
                {
                    decoded.Add(scaled.Image);
                }
                return 0;
            }, batch => () => [0], _ => default, null, cancel.Token))
            {
                if (++outcomes == 3)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(3, outcomes);
        Assert.All(decoded, image => Assert.Throws<ObjectDisposedException>(() => image.Pixels.Length));
    }

    private static int Identity(ScaledImage scaled) => scaled.Image.Width;
}
