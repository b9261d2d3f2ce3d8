using System.Text;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Testing;
using Concordat.Testing.Log;
using Concordat.Testing.Witness;
using Concordat.Witness;

namespace Concordat.Tests.Witness;

public sealed class LogWitnessTests
{
    private static readonly NoteSignerKey s_logKey = LogTestData.CreateKey("log.example/a", 11);
    private static readonly NoteSignerKey s_witnessKey = LogTestData.CreateKey("witness.example/w1", 12);
    private static readonly DateTimeOffset s_now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddCheckpoint_FirstThenGrowth_CosignsEachWithAVerifyingCosignature()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);

        var first = await witness.AddCheckpointAsync(log.Request(0), default);
        log.Append(8);
        var second = await witness.AddCheckpointAsync(log.Request(5), default);

        Assert.True(first.IsCosigned, first.Message);
        Assert.True(second.IsCosigned, second.Message);
        Assert.True(CosignatureV1.TryParseVerifierKey(witness.VerifierKey, out var verifier, out _));
        var cosigned = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(log.SignCheckpoint()) + second.Cosignatures);
        var opened = SignedNote.Open(cosigned, [verifier]);
        Assert.True(opened.IsVerified, opened.Reason);
        Assert.True(CosignatureV1.TryGetTime(opened.VerifiedSignatures[0], out var time));
        Assert.Equal(s_now, time);
    }

    [Fact]
    public async Task AddCheckpoint_OldSizeNotTheLatest_RefusesWithTheLatestSize()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        await witness.AddCheckpointAsync(log.Request(0), default);
        log.Append(3);

        var stale = await witness.AddCheckpointAsync(log.Request(0), default);
        var ahead = await witness.AddCheckpointAsync(log.Request(7), default);

        Assert.Equal(WitnessOutcome.StaleOldSize, stale.Outcome);
        Assert.Equal(5, stale.LatestSize);
        Assert.Equal(WitnessOutcome.StaleOldSize, ahead.Outcome);
        Assert.Equal(5, ahead.LatestSize);
    }

    [Fact]
    public async Task AddCheckpoint_Rollback_IsRefusedAndTheRecordKept()
    {
        var (witness, state) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(4);
        var small = new AddCheckpointRequest(0, [], log.SignCheckpoint()).ToBytes();
        log.Append(6);
        await witness.AddCheckpointAsync(log.Request(0), default);

        // The smaller checkpoint, replayed with the old size the witness holds: the old size is above its size (400).
        var replayed = await witness.AddCheckpointAsync(Body(10, [], small), default);
        var fromZero = await witness.AddCheckpointAsync(small, default);

        Assert.Equal(WitnessOutcome.Malformed, replayed.Outcome);
        Assert.Equal(WitnessOutcome.StaleOldSize, fromZero.Outcome);
        Assert.Equal(10, (await state.ReadAsync(s_logKey.Name, default))!.TreeSize);
    }

    [Fact]
    public async Task AddCheckpoint_ForkAtTheCosignedSize_IsRefusedAsAFork()
    {
        var (witness, _) = CreateSut();
        var main = new WitnessTestLog(s_logKey, "main", sharedPrefix: 3).Append(6);
        var fork = new WitnessTestLog(s_logKey, "fork", sharedPrefix: 3).Append(6);
        await witness.AddCheckpointAsync(main.Request(0), default);

        var answer = await witness.AddCheckpointAsync(fork.Request(6), default);

        Assert.Equal(WitnessOutcome.Forked, answer.Outcome);
        Assert.Null(answer.Cosignatures);
    }

    [Fact]
    public async Task AddCheckpoint_ForkThatGrew_FailsItsConsistencyProof()
    {
        var (witness, state) = CreateSut();
        var main = new WitnessTestLog(s_logKey, "main", sharedPrefix: 3).Append(6);
        var fork = new WitnessTestLog(s_logKey, "fork", sharedPrefix: 3).Append(9);
        await witness.AddCheckpointAsync(main.Request(0), default);

        var answer = await witness.AddCheckpointAsync(fork.Request(6), default);

        Assert.Equal(WitnessOutcome.ProofInvalid, answer.Outcome);
        Assert.Equal(main.Root, (await state.ReadAsync(s_logKey.Name, default))!.RootHash);
    }

    [Fact]
    public async Task AddCheckpoint_StaleProofFromAnotherSize_IsRefused()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        await witness.AddCheckpointAsync(log.Request(0), default);
        log.Append(6);

        // A proof from size 4, sent with the old size the witness holds.
        var answer = await witness.AddCheckpointAsync(Body(5, log.ProveFrom(4), log.SignCheckpoint()), default);

        Assert.Equal(WitnessOutcome.ProofInvalid, answer.Outcome);
    }

    [Fact]
    public async Task AddCheckpoint_ProofFromOldSizeZero_IsRefused()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);

        var answer = await witness.AddCheckpointAsync(Body(0, [log.Root], log.SignCheckpoint()), default);

        Assert.Equal(WitnessOutcome.ProofInvalid, answer.Outcome);
    }

    [Fact]
    public async Task AddCheckpoint_SignedByAnotherKeyOnly_IsNotSigned()
    {
        var (witness, _) = CreateSut();
        var impostor = new WitnessTestLog(LogTestData.CreateKey(s_logKey.Name, 99)).Append(5);

        var answer = await witness.AddCheckpointAsync(impostor.Request(0), default);

        Assert.Equal(WitnessOutcome.NotSigned, answer.Outcome);
    }

    [Fact]
    public async Task AddCheckpoint_ChangedAfterSigning_IsNotSigned()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        var note = Encoding.UTF8.GetString(log.SignCheckpoint()).Replace("\n5\n", "\n6\n", StringComparison.Ordinal);

        var answer = await witness.AddCheckpointAsync(Body(0, [], Encoding.UTF8.GetBytes(note)), default);

        Assert.Equal(WitnessOutcome.NotSigned, answer.Outcome);
    }

    [Fact]
    public async Task AddCheckpoint_UnknownSignatureBesideTheLogs_IsIgnored()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        var other = NoteSigner.ForEd25519(LogTestData.CreateKey("someone.example", 40));

        var answer = await witness.AddCheckpointAsync(Body(0, [], log.SignCheckpoint(other)), default);

        Assert.True(answer.IsCosigned, answer.Message);
    }

    [Fact]
    public async Task AddCheckpoint_UnknownOrigin_IsUnknownLog()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(LogTestData.CreateKey("log.example/b", 13)).Append(2);

        var answer = await witness.AddCheckpointAsync(log.Request(0), default);

        Assert.Equal(WitnessOutcome.UnknownLog, answer.Outcome);
    }

    [Fact]
    public async Task AddCheckpoint_SameCheckpointAgain_CosignsWithoutChange()
    {
        var (witness, _) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        await witness.AddCheckpointAsync(log.Request(0), default);

        var again = await witness.AddCheckpointAsync(log.Request(5), default);

        Assert.True(again.IsCosigned, again.Message);
    }

    [Fact]
    public async Task AddCheckpoint_FaultAfterTheStateWrite_NextRequestsSeeTheNewRecord()
    {
        var (witness, state) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        await witness.AddCheckpointAsync(log.Request(0), default);
        log.Append(5);
        state.FailsAfterReplace = true;

        await Assert.ThrowsAsync<IOException>(() => witness.AddCheckpointAsync(log.Request(5), default));
        state.FailsAfterReplace = false;
        var retried = await witness.AddCheckpointAsync(log.Request(5), default);
        var resumed = await witness.AddCheckpointAsync(log.Request(10), default);

        // The client that lost the answer learns the size the witness holds, then gets its cosignature again.
        Assert.Equal(WitnessOutcome.StaleOldSize, retried.Outcome);
        Assert.Equal(10, retried.LatestSize);
        Assert.True(resumed.IsCosigned, resumed.Message);
    }

    [Fact]
    public async Task AddCheckpoint_ConcurrentRequestsFromOneSize_CosignOnlyOne()
    {
        var (witness, state) = CreateSut();
        var log = new WitnessTestLog(s_logKey).Append(5);
        await witness.AddCheckpointAsync(log.Request(0), default);
        var bodies = new List<byte[]>();
        for (var i = 0; i < 8; i++)
        {
            log.Append(1);
            bodies.Add(log.Request(5));
        }

        var answers = await Task.WhenAll(bodies.Select(b => Task.Run(() => witness.AddCheckpointAsync(b, default))));

        Assert.Single(answers, a => a.IsCosigned);
        var kept = (await state.ReadAsync(s_logKey.Name, default))!.TreeSize;
        Assert.All(answers.Where(a => !a.IsCosigned), a => Assert.Equal(kept, a.LatestSize));
    }

    private static (LogWitness Witness, MemoryWitnessStateStore State) CreateSut()
    {
        var state = new MemoryWitnessStateStore();
        var witness = new LogWitness(s_witnessKey, [s_logKey.VerifierKey], state, new FakeTimeProvider(s_now));
        return (witness, state);
    }

    private static byte[] Body(long oldSize, IReadOnlyList<MerkleHash> proof, byte[] note) => new AddCheckpointRequest(oldSize, proof, note).ToBytes();
}
