using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// The digest of an agreement: SHA-256 over the RFC 8785 canonical JSON of <see cref="AgreementJson.ToJson"/>,
/// written <c>sha256:&lt;hex&gt;</c>. The same meaning written with other layout, comments, quoting or key order has
/// the same digest; any change of meaning changes it.
/// </summary>
// CAUTION: persisted/public format; signatures bind this digest; see docs/formats/agreement.md#digest
public static class AgreementDigest
{
    /// <summary>Computes the digest of an agreement.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <returns>The digest.</returns>
    public static Sha256Digest Compute(Agreement agreement) => Sha256Digest.Compute(CanonicalBytes(agreement));

    /// <summary>Writes the bytes the digest is computed over: the RFC 8785 canonical JSON of the agreement.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <returns>The canonical UTF-8 JSON bytes.</returns>
    public static byte[] CanonicalBytes(Agreement agreement) => CanonicalJson.Canonicalize(AgreementJson.ToJson(agreement));
}
