using ModelZoo.Store;

namespace ModelZoo.Tests.Store;

/// <summary>Only a lock another holder has makes the store wait; a store it cannot write fails at once.</summary>
public sealed class StoreLockTests : IDisposable
{
    private readonly StoreSandbox _home = new();

    [Fact]
    public async Task A_held_lock_is_waited_for_and_taken_when_released()
    {
        var path = Path.Combine(_home.Store, "locks", "key.lock");
        var first = StoreLock.TryAcquire(path);
        Assert.NotNull(first);

        var second = StoreLock.AcquireAsync(path, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "the lock is held: the second holder must wait");

        first.Dispose();
        using var taken = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(StoreLock.TryAcquire(path));
    }

    [Fact]
    public async Task A_locks_folder_that_is_a_file_fails_at_once_with_the_store_named()
    {
        Directory.CreateDirectory(_home.Store);
        await File.WriteAllTextAsync(Path.Combine(_home.Store, "locks"), "not a folder");

        var error = await Assert.ThrowsAsync<StoreNotWritableException>(
            () => StoreLock.AcquireAsync(Path.Combine(_home.Store, "locks", "key.lock"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("store-not-writable", error.Code);
        Assert.StartsWith($"ZOO_HOME {Path.GetFullPath(_home.Store)} is not writable: ", error.Message);
        Assert.EndsWith("set ZOO_HOME to a writable folder.", error.Message);
    }

    public void Dispose() => _home.Dispose();
}
