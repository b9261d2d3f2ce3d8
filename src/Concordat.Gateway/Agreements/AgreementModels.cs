namespace Concordat.Gateway.Agreements;

/// <summary>The body of an agreement upload.</summary>
/// <param name="Document">The agreement's YAML source, exactly as signed.</param>
/// <param name="Signatures">The signature file (<c>concordat-agreement-signatures/v1</c>, as <c>concordat agreement sign</c> writes it); optional in the request, but without every required signature the version is rejected (422), not activated.</param>
internal sealed record AgreementUpload(string? Document, string? Signatures = null);

/// <summary>A stored agreement version.</summary>
internal sealed record AgreementSummary(string Agreement, int Version, string Digest, string State, int? Supersedes, IReadOnlyList<string> Diagnostics);
