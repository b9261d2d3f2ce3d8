using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// The result of checking an agreement version: the typed agreement when it could be read, its digest, whether
/// every required party and approver signed that digest, and every diagnostic.
/// </summary>
internal sealed record AgreementCheck(Agreement? Agreement, Sha256Digest? Digest, bool IsFullySigned, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the version may be enforced: valid and fully signed.</summary>
    public bool IsEnforceable => Agreement is not null && Digest is not null && IsFullySigned && !Diagnostics.Any(d => d.IsError);
}
