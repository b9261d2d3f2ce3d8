using System.Text;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Log;

/// <content>Checkpoints: signing on demand and periodically, and refusing to sign a fork.</content>
public sealed partial class TransparencyLog
{
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private NoteSignerKey? _signerKey;
    private ITimer? _checkpointTimer;
    private long _lastCheckpointSize = -1;

    /// <summary>Gets the outcome of the latest periodic checkpoint, or <see langword="null"/> before the first.</summary>
    public CheckpointOutcome? LastPeriodicCheckpoint { get; private set; }

    /// <summary>
    /// Signs a C2SP checkpoint of the stored tree with the operator's log key (origin: the key's name) and adds it to
    /// the history, after checking that the stored tree is consistent with the latest checkpoint in the history.
    /// </summary>
    /// <param name="cancellationToken">Cancels signing.</param>
    /// <returns>
    /// The signed checkpoint; or, when the latest stored checkpoint does not verify or the stored tree is not an
    /// extension of it (rewritten or truncated), a refusal naming the problem: nothing is signed or stored then.
    /// </returns>
    /// <exception cref="InvalidOperationException">The log was opened without a signer key.</exception>
    /// <exception cref="InvalidDataException">A stored hash the checkpoint needs is missing or malformed.</exception>
    public async Task<CheckpointOutcome> SignCheckpointAsync(CancellationToken cancellationToken)
    {
        var key = _signerKey ?? throw new InvalidOperationException("the log was opened without a log key, so it cannot sign checkpoints");
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var source = new LogHashSource(_storage);
            var size = await _storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
            var root = await MerkleProofs.ComputeRootAsync(source, size, cancellationToken).ConfigureAwait(false);
            var latest = await _storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
            if (latest is not null)
            {
                var problem = await CheckExtendsAsync(source, key.VerifierKey, latest, size, root, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    return new CheckpointOutcome(null, null, problem);
                }
            }

            var checkpoint = new Checkpoint(key.Name, size, root);
            var note = checkpoint.Sign(NoteSigner.ForEd25519(key)).ToString();
            await _storage.AddCheckpointAsync(new StoredCheckpoint(size, note), cancellationToken).ConfigureAwait(false);
            _lastCheckpointSize = size;
            return new CheckpointOutcome(checkpoint, note, null);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>Checks that the stored tree of <paramref name="size"/> leaves extends the signed checkpoint <paramref name="latest"/>.</summary>
    internal static async Task<LogProblem?> CheckExtendsAsync(
        IMerkleHashSource source, NoteVerifierKey key, StoredCheckpoint latest, long size, MerkleHash root, CancellationToken cancellationToken)
    {
        if (!Checkpoint.TryOpen(Encoding.UTF8.GetBytes(latest.Note), [NoteVerifier.ForEd25519(key)], out var previous, out var verification, key.Name))
        {
            return new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint at tree size {latest.TreeSize} does not verify with the log key: {verification.Reason}", null);
        }

        if (previous.TreeSize > size)
        {
            // Security: a tree smaller than a signed checkpoint means signed entries were removed.
            return new LogProblem(LogErrorCodes.EntriesRemoved, $"the checkpoint at tree size {previous.TreeSize} is beyond the stored tree size {size}: entries were removed", size);
        }

        // Invariant: every tree extends the empty one; there is nothing to prove (the verifier refuses such a proof).
        if (previous.TreeSize == 0)
        {
            return null;
        }

        var proof = await MerkleProofs.CreateConsistencyProofAsync(source, previous.TreeSize, size, cancellationToken).ConfigureAwait(false);
        var consistency = MerkleProofVerifier.VerifyConsistency(previous.TreeSize, size, previous.RootHash, root, proof);
        return consistency.IsValid
            ? null
            : new LogProblem(LogErrorCodes.LogRewritten, $"the stored tree of size {size} is not consistent with the checkpoint at tree size {previous.TreeSize}: {consistency.Reason}", null);
    }

    private void StartCheckpointTimer(NoteSignerKey? signerKey, TimeSpan? interval)
    {
        _signerKey = signerKey;
        if (signerKey is not null && interval is { } period && period > TimeSpan.Zero)
        {
            _checkpointTimer = _timeProvider.CreateTimer(_ => _ = SignPeriodicCheckpointAsync(), null, period, period);
        }
    }

    private async Task SignPeriodicCheckpointAsync()
    {
        // A checkpoint is signed only when the tree has grown, so an idle log does not fill its history.
        if (Volatile.Read(ref _disposed) != 0 || _frontier is { } frontier && frontier.Size == _lastCheckpointSize)
        {
            return;
        }

        try
        {
            LastPeriodicCheckpoint = await SignCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A timer callback has no caller: the failure is kept as the outcome instead of crashing the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LastPeriodicCheckpoint = new CheckpointOutcome(null, null, new LogProblem(LogErrorCodes.PeriodicCheckpointFailed, $"periodic checkpoint failed: {ex.Message}", null));
        }
    }
}
