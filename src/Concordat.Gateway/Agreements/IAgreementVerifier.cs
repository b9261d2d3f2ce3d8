using Concordat.Registry;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// Reads an agreement's YAML source, validates it, computes its digest and checks its signatures against the
/// parties' pinned keys: the agreements library, seen from the gateway.
/// </summary>
internal interface IAgreementVerifier
{
    /// <summary>Checks one agreement version; never throws for bad input (the diagnostics say what is wrong).</summary>
    AgreementCheck Check(ReadOnlyMemory<byte> document, IReadOnlyList<AgreementSignatureRecord> signatures);
}
