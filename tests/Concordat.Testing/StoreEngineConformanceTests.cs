using Concordat.Agreements;
using Concordat.Log;
using Concordat.Store;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Concordat.Testing.Log;
using Xunit;

namespace Concordat.Testing;

/// <summary>
/// The contract of <see cref="IStoreEngine"/>, run against every engine: what it gives together — the registry, the
/// log's storage and the revocation feed — works. Each engine's test class inherits this class and supplies fresh
/// engines over an empty database.
/// </summary>
public abstract class StoreEngineConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly PartyId s_lab = new("lab");
    private static readonly StoreLockName s_budgetLock = new("privacy-budget\nnorthwind-research\nhospital-research\ncohort-statistics");

    // How long a waiter is given to show it waits, and how long a released lock may take to reach the next holder.
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);
    private readonly List<IStoreEngine> _engines = [];

    /// <summary>Creates a fresh engine over an empty database; the suite disposes it after the test.</summary>
    protected abstract Task<IStoreEngine> CreateEngineAsync();

    /// <summary>
    /// Creates a second engine on the database of <paramref name="engine"/>, as another gateway replica opens it, or
    /// returns null when the engine's database belongs to one process (then its feed has nothing to deliver).
    /// </summary>
    protected abstract IStoreEngine? CreateReplica(IStoreEngine engine);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in Enumerable.Reverse(_engines))
        {
            await engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task Registry_Initialized_StoresAndReadsBack()
    {
        var engine = await NewEngineAsync();

        await engine.Registry.InitializeAsync(default);
        await engine.Registry.PutPartyAsync(new PartyRecord(s_lab, "Lab Ltd", s_t0), default);

        Assert.Equal([new PartyRecord(s_lab, "Lab Ltd", s_t0)], await engine.Registry.ListPartiesAsync(default));
    }

    [Fact]
    public async Task OpenLogAsync_EmptyStore_CreatesALogThatKeepsItsEntries()
    {
        var engine = await NewEngineAsync();
        var before = await engine.HasLogAsync(default);

        await using (var storage = await engine.OpenLogAsync(default))
        await using (var log = await TransparencyLog.OpenAsync(storage, new FakeTimeProvider(), null, null, default))
        {
            Assert.Equal(0, (await LogTestData.AppendAsync(log, LogTestData.Entry(0))).Index);
            Assert.Equal(1, (await LogTestData.AppendAsync(log, LogTestData.Entry(1))).Index);
        }

        await using var reopened = await engine.OpenLogAsync(default);
        Assert.False(before);
        Assert.True(await engine.HasLogAsync(default));
        Assert.Equal(2, await reopened.ReadTreeSizeAsync(default));
        Assert.Equal(LogTestData.Entry(1), (await reopened.ReadEntriesAsync(1, 1, default))[0].Entry);
    }

    [Fact]
    public async Task Revocations_SealByAnotherReplica_ReachesTheListenerOrThereIsNoReplica()
    {
        var engine = await NewEngineAsync();
        await engine.Registry.InitializeAsync(default);
        var replica = CreateReplica(engine);
        if (replica is not null)
        {
            _engines.Add(replica);
        }

        var resynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var noticed = new TaskCompletionSource<RevocationNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var listening = engine.Revocations.ListenAsync(
            _ =>
            {
                resynced.TrySetResult();
                return Task.CompletedTask;
            },
            notice => noticed.TrySetResult(notice),
            stop.Token);

        if (replica is null)
        {
            // Invariant: a feed with no replica to hear from returns at once and never calls back.
            await listening.WaitAsync(stop.Token);
            Assert.False(resynced.Task.IsCompleted);
            Assert.False(noticed.Task.IsCompleted);
            return;
        }

        await resynced.Task.WaitAsync(stop.Token);
        await replica.Registry.SealAsync(s_lab, s_t0, "drill", default);
        var notice = await noticed.Task.WaitAsync(stop.Token);
        await stop.CancelAsync();
        await listening;

        Assert.Equal(new RevocationNotice(RevocationKind.Seal, s_lab, null), notice);
    }

    [Fact]
    public async Task LockAsync_HeldByAnotherReplica_WaitsUntilReleasedOrThereIsNoReplica()
    {
        var (engine, replica) = await NewEngineAndReplicaAsync();
        var held = await engine.LockAsync(s_budgetLock, default);

        if (replica is null)
        {
            // Invariant: a store of one process excludes no other replica; its caller serialises holders itself.
            await using (await engine.LockAsync(s_budgetLock, default))
            {
                await held.DisposeAsync();
                return;
            }
        }

        var waiting = replica.LockAsync(s_budgetLock, default);
        await Task.Delay(s_settle);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var second = await waiting.WaitAsync(s_patience);
    }

    [Fact]
    public async Task LockAsync_AnotherNameHeld_DoesNotWait()
    {
        var (engine, replica) = await NewEngineAndReplicaAsync();
        await using var held = await engine.LockAsync(s_budgetLock, default);

        await using var other = await (replica ?? engine).LockAsync(new StoreLockName("model\ntriage@1.0"), default).WaitAsync(s_patience);
    }

    [Fact]
    public async Task LockAsync_WaitCancelled_ThrowsAndTheNextHolderGetsTheLockOnRelease()
    {
        var (engine, replica) = await NewEngineAndReplicaAsync();
        if (replica is null)
        {
            return;
        }

        var held = await engine.LockAsync(s_budgetLock, default);
        using var cancel = new CancellationTokenSource(s_settle);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => replica.LockAsync(s_budgetLock, cancel.Token));

        var waiting = replica.LockAsync(s_budgetLock, default);
        await Task.Delay(s_settle);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var next = await waiting.WaitAsync(s_patience);
    }

    private async Task<(IStoreEngine Engine, IStoreEngine? Replica)> NewEngineAndReplicaAsync()
    {
        var engine = await NewEngineAsync();
        var replica = CreateReplica(engine);
        if (replica is not null)
        {
            _engines.Add(replica);
        }

        return (engine, replica);
    }

    private async Task<IStoreEngine> NewEngineAsync()
    {
        var engine = await CreateEngineAsync();
        _engines.Add(engine);
        return engine;
    }
}
