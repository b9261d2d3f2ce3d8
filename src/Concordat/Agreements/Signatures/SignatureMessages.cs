using System.Globalization;
using System.Text;
using Concordat.Core;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// The exact bytes that are signed: fixed, versioned text that binds what is signed to its purpose, so that a
/// signature over an agreement can never be replayed as a termination or as anything else.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/signatures.md
public static class SignatureMessages
{
    /// <summary>The first line of an agreement signature message.</summary>
    public const string AgreementContext = "concordat-agreement-signature/v1";

    /// <summary>The first line of a termination signature message.</summary>
    public const string TerminationContext = "concordat-agreement-termination/v1";

    /// <summary>Builds <c>concordat-agreement-signature/v1\n&lt;id&gt;\n&lt;version&gt;\n&lt;digest&gt;\n</c> in UTF-8.</summary>
    /// <param name="id">The agreement id.</param>
    /// <param name="version">The agreement version.</param>
    /// <param name="digest">The agreement digest.</param>
    /// <returns>The message bytes.</returns>
    public static byte[] ForAgreement(AgreementId id, int version, Sha256Digest digest) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{AgreementContext}\n{id.Value}\n{version}\n{digest}\n"));

    /// <summary>Builds <c>concordat-agreement-termination/v1\n&lt;id&gt;\n&lt;version&gt;\n&lt;digest&gt;\n&lt;effectiveAt&gt;\n</c> in UTF-8.</summary>
    /// <param name="id">The agreement id.</param>
    /// <param name="version">The agreement version.</param>
    /// <param name="digest">The agreement digest.</param>
    /// <param name="effectiveAt">When the termination takes effect.</param>
    /// <returns>The message bytes.</returns>
    public static byte[] ForTermination(AgreementId id, int version, Sha256Digest digest, DateTimeOffset effectiveAt) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{TerminationContext}\n{id.Value}\n{version}\n{digest}\n{Rfc3339.Format(effectiveAt)}\n"));
}
