using Concordat.Core;
using Concordat.Log;
using Concordat.Testing.Log;

namespace Concordat.Tests.Log;

public sealed class CheckpointHistoryTests
{
    [Fact]
    public void ToNoteText_TwoCheckpoints_IsTheDocumentedFourLinesAndChain()
    {
        var history = CheckpointHistory.Empty("log.example").Add(new StoredCheckpoint(0, "a\n")).Add(new StoredCheckpoint(5, "b\n"));

        var first = Sha256Digest.Compute([.. new byte[32], .. Sha256Digest.Compute("a\n"u8).ToBytes()]);
        var chain = Sha256Digest.Compute([.. first.ToBytes(), .. Sha256Digest.Compute("b\n"u8).ToBytes()]);
        Assert.Equal($"log.example checkpoint-history/v1\n2\n5\n{chain}\n", history.ToNoteText());
        Assert.True(CheckpointHistory.TryParse(history.ToNoteText(), out var parsed, out _));
        Assert.Equal(history, parsed);
    }

    [Theory]
    [InlineData("log.example\n2\n5\nsha256:00\n")]
    [InlineData("log.example checkpoint-history/v2\n2\n5\nsha256:0000000000000000000000000000000000000000000000000000000000000000\n")]
    [InlineData("log.example checkpoint-history/v1\n02\n5\nsha256:0000000000000000000000000000000000000000000000000000000000000000\n")]
    [InlineData("log.example checkpoint-history/v1\n2\n5\nsha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public void TryParse_NotTheFormat_IsRefused(string text)
    {
        Assert.False(CheckpointHistory.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void TryOpen_RecordSignedByAnotherKey_IsRefused()
    {
        var record = CheckpointHistory.Empty("log.example").Sign(LogTestData.CreateKey("log.example", 9));

        Assert.False(CheckpointHistory.TryOpen(record, LogTestData.LogKey.VerifierKey, out _, out var error));
        Assert.StartsWith("the checkpoint history record does not verify with the log key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LogFromBeforeRecords_VerifiesUnsignedUntilItsNextCheckpointSignsTheWholeHistory()
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        await LogTestData.AppendRangeAsync(log, 0, 2);
        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        await LogTestData.AppendRangeAsync(log, 2, 2);
        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        storage.ForgetHistoryRecord();

        var before = await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default);
        await LogTestData.AppendRangeAsync(log, 4, 1);
        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        var after = await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default);
        Assert.True(CheckpointHistory.TryOpen((await storage.ReadHistoryRecordAsync(default))!, LogTestData.LogKey.VerifierKey, out var record, out _));

        Assert.True(before.IsValid, before.Problem?.Message);
        Assert.False(before.IsHistorySigned);
        Assert.True(after.IsValid && after.IsHistorySigned, after.Problem?.Message);
        Assert.Equal((3L, 5L), (record.Count, record.LatestTreeSize));
    }

    [Fact]
    public async Task SignCheckpoint_TreeHasNotGrown_ReturnsTheStoredCheckpointAndLeavesTheRecord()
    {
        await using var storage = new MemoryLogStorage();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        await LogTestData.AppendRangeAsync(log, 0, 3);
        var first = await log.SignCheckpointAsync(default);
        var record = await storage.ReadHistoryRecordAsync(default);

        var second = await log.SignCheckpointAsync(default);

        Assert.Equal(first.Note, second.Note);
        Assert.Equal(record, await storage.ReadHistoryRecordAsync(default));
        Assert.True((await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default)).IsHistorySigned);
    }
}
