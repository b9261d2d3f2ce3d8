using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// The stored subtree hashes of a log, as the <see cref="IMerkleHashSource"/> that roots and proofs are built from.
/// </summary>
/// <param name="storage">The log's storage.</param>
public sealed class LogHashSource(ILogStorage storage) : IMerkleHashSource
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

        var hashes = await _storage.ReadHashesAsync(ids, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
        {
            // Security: a missing or malformed hash is never replaced by a computed one; proofs fail closed.
            if (hashes[i] is not { } bytes || !MerkleHash.TryFromBytes(bytes, out var hash))
            {
                throw new InvalidDataException($"the stored hash of node `{ids[i]}` is missing or malformed: run `concordat log verify`");
            }

            destination.Span[i] = hash;
        }
    }
}
