using System.Collections.Concurrent;
using Concordat.Witness;

namespace Concordat.Testing.Witness;

/// <summary>A witness state in memory, with an optional fault after each durable replace (a crash before answering).</summary>
public sealed class MemoryWitnessStateStore : IWitnessStateStore
{
    private readonly ConcurrentDictionary<string, WitnessedCheckpoint> _records = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether each replace throws after it is stored, as a crash would.</summary>
    public bool FailsAfterReplace { get; set; }

    /// <inheritdoc/>
    public ValueTask<WitnessedCheckpoint?> ReadAsync(string origin, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_records.GetValueOrDefault(origin));

    /// <inheritdoc/>
    public ValueTask<bool> TryReplaceAsync(WitnessedCheckpoint? expected, WitnessedCheckpoint replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        var stored = expected is null ? _records.TryAdd(replacement.Origin, replacement) : _records.TryUpdate(replacement.Origin, replacement, expected);
        if (stored && FailsAfterReplace)
        {
            throw new IOException("injected fault: the witness stopped after its state was written, before it answered");
        }

        return ValueTask.FromResult(stored);
    }
}
