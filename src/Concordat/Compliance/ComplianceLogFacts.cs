using System.Text;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Notes;

namespace Concordat.Compliance;

/// <summary>What the caller found in the transparency log, for the items the log satisfies.</summary>
/// <param name="IsLogVerified">Whether the log exists and verifies (every hash recomputed, every checkpoint consistent).</param>
/// <param name="TreeSize">The verified tree size; 0 when there is no log.</param>
/// <param name="IsCheckpointSigned">Whether the latest checkpoint is signed by the log key.</param>
/// <param name="Cosignatures">How many witness cosignatures on the latest checkpoint verified with the keys given.</param>
/// <param name="Problem">Why the log does not verify, or is absent; <see langword="null"/> when it verifies.</param>
public sealed record ComplianceLogFacts(bool IsLogVerified, long TreeSize, bool IsCheckpointSigned, int Cosignatures, string? Problem)
{
    /// <summary>Gets the facts of a workspace with no log.</summary>
    public static ComplianceLogFacts NoLog { get; } = new(false, 0, false, 0, "the workspace holds no log");

    /// <summary>Reads the facts from a log: it verifies (every hash recomputed, every checkpoint consistent), its latest checkpoint is signed, and how many of <paramref name="cosigners"/> cosigned it.</summary>
    /// <param name="storage">The log's storage; read only.</param>
    /// <param name="logKey">The log's verifier key.</param>
    /// <param name="cosigners">The witnesses' cosignature verifiers whose cosignatures are counted; may be empty.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The facts; <see cref="Problem"/> names the first problem when the log does not verify.</returns>
    /// <remarks>Reads the whole log once, a page at a time: as long as <c>concordat log verify</c> takes.</remarks>
    public static async Task<ComplianceLogFacts> ReadAsync(ILogStorage storage, NoteVerifierKey logKey, IReadOnlyCollection<NoteVerifier> cosigners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(logKey);
        ArgumentNullException.ThrowIfNull(cosigners);
        var verification = await LogVerifier.VerifyAsync(storage, logKey, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            return new ComplianceLogFacts(false, verification.TreeSize, false, 0, $"{verification.Problem!.Error.Code}: {verification.Problem.Message}");
        }

        var latest = await storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var cosignatures = latest is null || cosigners.Count == 0 ? 0
            : SignedNote.Open(Encoding.UTF8.GetBytes(latest.Note), cosigners).VerifiedSignatures.Count;
        return new ComplianceLogFacts(true, verification.TreeSize, latest is not null, cosignatures, null);
    }
}
