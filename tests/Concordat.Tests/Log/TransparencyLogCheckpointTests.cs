using Concordat.Crypto;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Testing.Log;

namespace Concordat.Tests.Log;

public sealed class TransparencyLogCheckpointTests
{
    private static readonly NoteSignerKey s_logKey = Key("log.example", 1);
    private static readonly NoteSignerKey s_otherKey = Key("log.example", 2);

    [Fact]
    public async Task SignCheckpoint_EmptyLog_SignsTheEmptyTree()
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await OpenAsync(storage);

        var outcome = await log.SignCheckpointAsync(default);

        Assert.True(outcome.IsSigned);
        Assert.Equal(new Checkpoint("log.example", 0, MerkleHash.Empty), outcome.Checkpoint);
        Assert.StartsWith("log.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u2014 log.example ", outcome.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignCheckpoint_AfterAppends_KeepsAHistoryThatVerifies()
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await OpenAsync(storage);
        await AppendAsync(log, 0, 5);
        await log.SignCheckpointAsync(default);
        await AppendAsync(log, 5, 12);

        var outcome = await log.SignCheckpointAsync(default);
        var verification = await LogVerifier.VerifyAsync(storage, s_logKey.VerifierKey, default);

        Assert.True(outcome.IsSigned, outcome.Problem?.Message);
        Assert.Equal(17, outcome.Checkpoint!.TreeSize);
        Assert.Equal(LogTestData.ReferenceRoot(Enumerable.Range(0, 17).Select(i => LogTestData.Entry(i))), outcome.Checkpoint.RootHash);
        Assert.Equal([5L, 17L], (await storage.ReadCheckpointsAsync(0, 10, default)).Select(c => c.TreeSize));
        Assert.True(verification.IsValid, verification.Problem?.Message);
        Assert.Equal(2, verification.CheckpointsChecked);
    }

    [Fact]
    public async Task SignCheckpoint_StoredTreeForked_RefusesAndStoresNothing()
    {
        var signed = await SignedCheckpointOfAsync(count: 6);
        await using var fork = new MemoryLogStorage();
        await using var log = await OpenAsync(fork);
        await AppendAsync(log, 0, 3);
        await AppendAsync(log, 100, 5);
        await fork.AddCheckpointAsync(signed, null, default);

        var outcome = await log.SignCheckpointAsync(default);
        var verification = await LogVerifier.VerifyAsync(fork, s_logKey.VerifierKey, default);

        Assert.False(outcome.IsSigned);
        Assert.Equal("LOG4107", outcome.Problem!.Code);
        Assert.Equal([6L], (await fork.ReadCheckpointsAsync(0, 10, default)).Select(c => c.TreeSize));
        Assert.Equal("LOG4107", verification.Problem?.Code);
        Assert.Contains("checkpoint at tree size 6", verification.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignCheckpoint_StoredTreeTruncated_Refuses()
    {
        var signed = await SignedCheckpointOfAsync(count: 6);
        await using var truncated = new MemoryLogStorage();
        await using var log = await OpenAsync(truncated);
        await AppendAsync(log, 0, 4);
        await truncated.AddCheckpointAsync(signed, null, default);

        var outcome = await log.SignCheckpointAsync(default);
        var verification = await LogVerifier.VerifyAsync(truncated, s_logKey.VerifierKey, default);

        Assert.Equal("LOG4108", outcome.Problem?.Code);
        Assert.Equal("LOG4108", verification.Problem?.Code);
    }

    [Fact]
    public async Task SignCheckpoint_LatestSignedByAnotherKey_Refuses()
    {
        await using var storage = new MemoryLogStorage();
        await using (var other = await TransparencyLog.OpenAsync(storage, TimeProvider.System, s_otherKey, null, default))
        {
            await AppendAsync(other, 0, 2);
            await other.SignCheckpointAsync(default);
        }

        await using var log = await OpenAsync(storage);

        var outcome = await log.SignCheckpointAsync(default);

        Assert.Equal("LOG4106", outcome.Problem?.Code);
    }

    [Fact]
    public async Task Verify_CheckpointBeyondTheEntriesIsReported_EvenAtTheEnd()
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await OpenAsync(storage);
        await AppendAsync(log, 0, 3);
        await log.SignCheckpointAsync(default);
        await storage.AddCheckpointAsync(new StoredCheckpoint(9, "not a note"), null, default);

        var verification = await LogVerifier.VerifyAsync(storage, s_logKey.VerifierKey, default);

        Assert.Equal("LOG4108", verification.Problem?.Code);
        Assert.Equal(1, verification.CheckpointsChecked);
    }

    [Fact]
    public async Task SignCheckpoint_WithoutKey_Throws()
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.SignCheckpointAsync(default));
    }

    [Fact]
    public async Task PeriodicCheckpoint_TimerFires_SignsOnlyWhenTheTreeGrew()
    {
        var clock = new ManualTimerTimeProvider();
        await using var storage = new MemoryLogStorage();
        var options = new TransparencyLogOptions { CheckpointInterval = TimeSpan.FromSeconds(1) };
        await using var log = await TransparencyLog.OpenAsync(storage, clock, s_logKey, options, default);
        await AppendAsync(log, 0, 3);

        await clock.FireAsync(() => log.LastPeriodicCheckpoint);
        var first = log.LastPeriodicCheckpoint;
        clock.Fire();

        Assert.Equal(TimeSpan.FromSeconds(1), clock.Period);
        Assert.Equal(3, first?.Checkpoint?.TreeSize);
        Assert.Same(first, log.LastPeriodicCheckpoint);
        Assert.Single(await storage.ReadCheckpointsAsync(0, 10, default));
    }

    private static async Task<StoredCheckpoint> SignedCheckpointOfAsync(int count)
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await OpenAsync(storage);
        await AppendAsync(log, 0, count);
        var outcome = await log.SignCheckpointAsync(default);
        return new StoredCheckpoint(count, outcome.Note!);
    }

    private static Task<TransparencyLog> OpenAsync(ILogStorage storage) => TransparencyLog.OpenAsync(storage, TimeProvider.System, s_logKey, null, default);

    private static async Task AppendAsync(TransparencyLog log, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            Assert.False((await LogTestData.AppendAsync(log, LogTestData.Entry(i))).IsPushback);
        }
    }

    private static NoteSignerKey Key(string name, byte seed)
    {
        var text = NoteKey.FormatSignerKey(name, Ed25519PrivateKey.FromSeed(Enumerable.Repeat(seed, 32).ToArray()));
        Assert.True(NoteKey.TryParseSignerKey(text, out var key, out _));
        return key;
    }

    /// <summary>A clock whose one timer fires only when the test says so.</summary>
    private sealed class ManualTimerTimeProvider : TimeProvider
    {
        private TimerCallback? _callback;

        public TimeSpan Period { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _callback = callback;
            Period = period;
            return new NoTimer();
        }

        /// <summary>Fires the timer; an idle log returns before its first await, so nothing is left running.</summary>
        public void Fire() => _callback!(null);

        /// <summary>Fires the timer and waits until the observed outcome changes.</summary>
        public async Task FireAsync(Func<CheckpointOutcome?> observe)
        {
            var before = observe();
            _callback!(null);
            for (var i = 0; i < 200 && ReferenceEquals(before, observe()); i++)
            {
                await Task.Delay(5);
            }
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
