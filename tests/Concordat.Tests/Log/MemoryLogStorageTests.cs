using Concordat.Log;
using Concordat.Merkle;
using Concordat.Testing.Log;

namespace Concordat.Tests.Log;

/// <summary>Runs the storage conformance suite on the in-memory fake, so that tests using it can trust it.</summary>
public sealed class MemoryLogStorageTests : LogStorageConformanceTests
{
    protected override Task<ILogStorage> CreateStorageAsync() => Task.FromResult<ILogStorage>(new MemoryLogStorage());

    protected override long CountCommittedTransactions(ILogStorage storage) => ((MemoryLogStorage)storage).CommittedTransactions;

    protected override Task DamageHashAsync(ILogStorage storage, MerkleNodeId id)
    {
        ((MemoryLogStorage)storage).TamperHash(id, new byte[32]);
        return Task.CompletedTask;
    }

    protected override Task DeleteCheckpointAsync(ILogStorage storage, long treeSize)
    {
        ((MemoryLogStorage)storage).RemoveCheckpoint(treeSize);
        return Task.CompletedTask;
    }
}
