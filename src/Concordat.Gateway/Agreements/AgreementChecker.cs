using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Core;
using Concordat.Gateway.Hosting;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// Reads an agreement version, validates it, computes its digest and checks its signatures against the keys the
/// operator pinned in the workspace's trusted-keys file (a key written inside the document vouches only for itself).
/// </summary>
internal sealed class AgreementChecker(GatewayWorkspace workspace)
{
    /// <summary>Checks one version; never throws for bad input (the diagnostics say what is wrong).</summary>
    public AgreementCheck Check(ReadOnlyMemory<byte> document, IReadOnlyList<AgreementSignatureRecord> signatures)
    {
        var read = AgreementReader.Read(document.Span, "agreement.yaml");
        if (read.Agreement is null)
        {
            return new AgreementCheck(null, null, false, read.Diagnostics);
        }

        var diagnostics = new List<Diagnostic>(read.Diagnostics);
        var parsed = new List<AgreementSignature>();
        foreach (var record in signatures)
        {
            parsed.AddRange(SignatureFile.Read(record.Signature, "signatures.json", out var problems));
            diagnostics.AddRange(problems);
        }

        var trusted = TrustedKeys(out var keyProblems);
        diagnostics.AddRange(keyProblems);
        var verification = AgreementVerifier.Verify(read.Agreement, parsed, trusted);
        diagnostics.AddRange(verification.Diagnostics);
        return new AgreementCheck(read.Agreement, verification.Digest, verification.IsFullySigned, diagnostics);
    }

    /// <summary>Reads the keys the operator pinned in the workspace.</summary>
    public TrustedKeys TrustedKeys() => TrustedKeys(out _);

    private TrustedKeys TrustedKeys(out IReadOnlyList<Diagnostic> problems) =>
        Concordat.Agreements.Signatures.TrustedKeys.Read(workspace.ReadTrustedKeys(), GatewayWorkspace.TrustedKeysFileName, out problems);

    /// <summary>Splits an uploaded signature file into one stored record per signature.</summary>
    public static IReadOnlyList<AgreementSignatureRecord> Split(string signatureFile, out IReadOnlyList<Diagnostic> diagnostics) =>
        SignatureFile.Read(signatureFile, "signatures.json", out diagnostics)
            .Select(s => new AgreementSignatureRecord(s.Signer.Value, SignatureFile.Write([s])))
            .ToList();
}
