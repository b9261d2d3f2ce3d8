using System.Diagnostics.CodeAnalysis;
using System.Text;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Witness;

/// <summary>
/// A C2SP tlog-witness: cosigns a log's checkpoint only when it is signed by a key the witness trusts for its origin
/// and is consistent with the checkpoint it cosigned last for that origin, whose record it replaces durably first.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-witness#add-checkpoint"/>, checks in the spec's order. A witness MUST NOT
/// cosign a rollback (an old size other than the latest cosigned one is refused with that size) nor a fork (an equal
/// size with another root, or a consistency proof that does not verify from the recorded root). One instance
/// serialises its requests; <see cref="IWitnessStateStore.TryReplaceAsync"/> keeps two processes on one state honest.
/// </remarks>
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "the gate is a SemaphoreSlim whose wait handle is never read, so it holds nothing to release")]
public sealed class LogWitness
{
    private readonly NoteSignerKey _key;
    private readonly Dictionary<string, NoteVerifier[]> _logs;
    private readonly IWitnessStateStore _state;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Initializes a witness.</summary>
    /// <param name="key">The witness's Ed25519 key; its name is the witness name.</param>
    /// <param name="logs">The verifier keys of the logs witnessed; a key's name is the log's origin.</param>
    /// <param name="state">The durable record of the latest cosigned checkpoint per log.</param>
    /// <param name="time">The clock of the cosignature timestamps.</param>
    public LogWitness(NoteSignerKey key, IEnumerable<NoteVerifierKey> logs, IWitnessStateStore state, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(time);
        _key = key;
        _logs = logs.GroupBy(k => k.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(NoteVerifier.ForEd25519).ToArray(), StringComparer.Ordinal);
        _state = state;
        _time = time;
    }

    /// <summary>Gets the witness's cosigner verifier key (<c>name+hash+base64(0x04 || key)</c>), the line logs pin.</summary>
    public string VerifierKey => CosignatureV1.FormatVerifierKey(_key.Name, _key.PrivateKey.PublicKey);

    /// <summary>Gets the origins of the logs witnessed.</summary>
    public IReadOnlyCollection<string> Origins => _logs.Keys;

    /// <summary>Answers an <c>add-checkpoint</c> request body.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancels the request before the record is replaced.</param>
    /// <returns>The answer; cosignatures only after the new record is durable.</returns>
    /// <exception cref="IOException">The state cannot be read or written (nothing was cosigned).</exception>
    public async Task<WitnessAnswer> AddCheckpointAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!AddCheckpointRequest.TryParse(body, out var request, out var error))
        {
            return new WitnessAnswer(WitnessOutcome.Malformed, error);
        }

        if (!SignedNote.TryParse(request.SignedCheckpoint.Span, out var note, out error) || !Checkpoint.TryParse(note.Text, out var checkpoint, out error))
        {
            return new WitnessAnswer(WitnessOutcome.Malformed, $"the checkpoint is malformed: {error}");
        }

        if (!_logs.TryGetValue(checkpoint.Origin, out var verifiers))
        {
            return new WitnessAnswer(WitnessOutcome.UnknownLog, $"the witness does not witness a log of origin `{checkpoint.Origin}`");
        }

        // Spec: signatures from unknown keys MUST be ignored; one by a trusted key must verify.
        var opened = SignedNote.Open(request.SignedCheckpoint.Span, verifiers);
        if (!opened.IsVerified)
        {
            return new WitnessAnswer(WitnessOutcome.NotSigned, $"the checkpoint is not signed by a key trusted for `{checkpoint.Origin}`: {opened.Reason}");
        }

        if (request.OldSize > checkpoint.TreeSize)
        {
            return new WitnessAnswer(WitnessOutcome.Malformed, $"old size {request.OldSize} is larger than the checkpoint's size {checkpoint.TreeSize}");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DecideAsync(request, checkpoint, note, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<WitnessAnswer> DecideAsync(AddCheckpointRequest request, Checkpoint checkpoint, SignedNote note, CancellationToken cancellationToken)
    {
        // Invariant: the read, the checks and the replace run under the gate, and the replace is a compare-and-set on
        // what was read, so no two requests can both pass against one record (the spec's rollback race).
        var latest = await _state.ReadAsync(checkpoint.Origin, cancellationToken).ConfigureAwait(false);
        var latestSize = latest?.TreeSize ?? 0;
        if (request.OldSize != latestSize)
        {
            return new WitnessAnswer(WitnessOutcome.StaleOldSize, $"old size {request.OldSize} is not the size the witness cosigned last for `{checkpoint.Origin}`", latestSize);
        }

        if (Refuse(request, checkpoint, latest) is { } refusal)
        {
            return refusal;
        }

        var next = new WitnessedCheckpoint(checkpoint.Origin, checkpoint.TreeSize, checkpoint.RootHash, Encoding.UTF8.GetString(request.SignedCheckpoint.Span));
        var unchanged = latest is not null && latest.TreeSize == next.TreeSize && latest.RootHash == next.RootHash;
        if (!unchanged && !await _state.TryReplaceAsync(latest, next, cancellationToken).ConfigureAwait(false))
        {
            var current = await _state.ReadAsync(checkpoint.Origin, CancellationToken.None).ConfigureAwait(false);
            return new WitnessAnswer(WitnessOutcome.StaleOldSize, $"another request for `{checkpoint.Origin}` was cosigned first", current?.TreeSize ?? 0);
        }

        var cosignature = CosignatureV1.CreateSigner(_key, _time.GetUtcNow()).Sign(Encoding.UTF8.GetBytes(note.Text));
        return new WitnessAnswer(WitnessOutcome.Cosigned, string.Empty, Cosignatures: cosignature + "\n");
    }

    private static WitnessAnswer? Refuse(AddCheckpointRequest request, Checkpoint checkpoint, WitnessedCheckpoint? latest)
    {
        var proof = request.ConsistencyProof;
        if (request.OldSize == checkpoint.TreeSize)
        {
            if (proof.Count != 0)
            {
                return new WitnessAnswer(WitnessOutcome.ProofInvalid, $"a proof between equal sizes is empty, not {proof.Count} hashes");
            }

            // Spec: the same size MUST carry the same root; another root is a fork the witness has proof of.
            var recorded = latest?.RootHash ?? MerkleHash.Empty;
            return recorded == checkpoint.RootHash ? null
                : new WitnessAnswer(WitnessOutcome.Forked, $"the checkpoint of size {checkpoint.TreeSize} has root `{checkpoint.RootHash.ToBase64()}`, the cosigned one `{recorded.ToBase64()}`: the log forked", checkpoint.TreeSize);
        }

        if (request.OldSize == 0)
        {
            // Spec: the proof MUST be empty if the old size is zero.
            return proof.Count == 0 ? null : new WitnessAnswer(WitnessOutcome.ProofInvalid, $"a proof from old size 0 is empty, not {proof.Count} hashes");
        }

        var verification = MerkleProofVerifier.VerifyConsistency(latest!.TreeSize, checkpoint.TreeSize, latest.RootHash, checkpoint.RootHash, proof);
        return verification.IsValid ? null
            : new WitnessAnswer(WitnessOutcome.ProofInvalid, $"the consistency proof from the cosigned size {latest.TreeSize} to {checkpoint.TreeSize} does not verify: {verification.Reason}");
    }
}
