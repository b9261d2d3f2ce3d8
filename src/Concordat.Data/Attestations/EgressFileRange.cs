using Concordat.Core;

namespace Concordat.Data.Attestations;

/// <summary>
/// Which part of a served file one fetch sent: the file as a whole (its size and SHA-256) and the byte range asked
/// for, so an attestation of a range says what it is a part of.
/// </summary>
/// <param name="FetchId">The fetch's own id, <c>{decisionId}.f{16 hex digits}</c>: the fetches of one file URL share its decision id.</param>
/// <param name="FileSize">The whole file's size in bytes.</param>
/// <param name="FileSha256">The whole file's SHA-256.</param>
/// <param name="Offset">The first byte of the range sent (0 for the whole file).</param>
/// <param name="Length">The bytes the range asked for (the whole file's size for the whole file); fewer leave when the fetch stops early.</param>
/// <remarks>
/// A verifier holding the whole file checks a fetch's attestation by hashing the <c>bytes</c> it states from
/// <paramref name="Offset"/> on: they are the subject's digest.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public sealed record EgressFileRange(string FetchId, long FileSize, Sha256Digest FileSha256, long Offset, long Length)
{
    /// <summary>Gets a value indicating whether the range is the whole file.</summary>
    public bool IsWholeFile => Offset == 0 && Length == FileSize;
}
