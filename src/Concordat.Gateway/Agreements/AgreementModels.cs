namespace Concordat.Gateway.Agreements;

/// <summary>The body of an agreement upload.</summary>
/// <param name="Document">The agreement's YAML source, exactly as signed.</param>
/// <param name="Signatures">The signatures over its digest.</param>
internal sealed record AgreementUpload(string? Document, IReadOnlyList<AgreementSignatureUpload>? Signatures);

/// <summary>One uploaded signature.</summary>
/// <param name="KeyName">The signing key's name.</param>
/// <param name="Signature">The signature as the agreements library writes it.</param>
internal sealed record AgreementSignatureUpload(string? KeyName, string? Signature);

/// <summary>A stored agreement version.</summary>
internal sealed record AgreementSummary(string Agreement, int Version, string Digest, string State, int? Supersedes, IReadOnlyList<string> Diagnostics);
