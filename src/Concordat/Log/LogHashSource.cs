using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// The stored subtree hashes of a log, as the <see cref="IMerkleHashSource"/> that roots and proofs are built from.
/// </summary>
/// <param name="storage">The log's storage.</param>
/// <param name="cache">
/// Upper-level hashes already read, shared by the sources of one long-lived reader; <see langword="null"/> (the
/// default) reads every hash from storage, as verification must.
/// </param>
public sealed class LogHashSource(ILogStorage storage, LogHashCache? cache = null) : IMerkleHashSource
{
    private readonly ILogStorage _storage = storage ?? throw new ArgumentNullException(nameof(storage));

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">A hash is not stored or is not 32 bytes: the log needs verifying.</exception>
    public async ValueTask ReadNodeHashesAsync(IReadOnlyList<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (destination.Length < ids.Count)
        {
            throw new ArgumentException("the destination has fewer slots than ids", nameof(destination));
        }

        var toRead = ids;
        List<int>? slots = null;
        if (cache is not null)
        {
            var missing = new List<MerkleNodeId>(ids.Count);
            slots = new List<int>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                if (cache.TryGet(ids[i], out var cached))
                {
                    destination.Span[i] = cached;
                }
                else
                {
                    missing.Add(ids[i]);
                    slots.Add(i);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            toRead = missing;
        }

        var hashes = await _storage.ReadHashesAsync(toRead, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < toRead.Count; i++)
        {
            // Security: a missing or malformed hash is never replaced by a computed one; proofs fail closed.
            if (hashes[i] is not { } bytes || !MerkleHash.TryFromBytes(bytes, out var hash))
            {
                throw new InvalidDataException($"the stored hash of node `{toRead[i]}` is missing or malformed: run `concordat log verify`");
            }

            destination.Span[slots is null ? i : slots[i]] = hash;
            cache?.Add(toRead[i], hash);
        }
    }
}
