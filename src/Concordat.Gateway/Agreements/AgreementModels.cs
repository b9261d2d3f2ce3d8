namespace Concordat.Gateway.Agreements;

/// <summary>The body of an agreement upload.</summary>
/// <param name="Document">The agreement's YAML source, exactly as signed.</param>
/// <param name="Signatures">The signature file (<c>concordat-agreement-signatures/v1</c>, as <c>concordat agreement sign</c> writes it); optional in the request, but without every required signature the version is rejected (422), not activated.</param>
internal sealed record AgreementUpload(string? Document, string? Signatures = null);

/// <summary>
/// A stored agreement version; <paramref name="TerminatesAt"/> when a termination is recorded; <paramref name="Warnings"/>
/// on an upload, such as a dataset whose imported version no longer matches the schema the version declares.
/// </summary>
internal sealed record AgreementSummary(string Agreement, int Version, string Digest, string State, int? Supersedes, IReadOnlyList<string> Diagnostics, DateTimeOffset? TerminatesAt = null, IReadOnlyList<string>? Warnings = null, string? DiffDigest = null, bool? GrantsMore = null, string? Verdict = null);

/// <summary>The body of a termination upload.</summary>
/// <param name="Termination">The termination record (<c>concordat-agreement-termination/v1</c>), as <c>concordat agreement terminate</c> writes it.</param>
internal sealed record TerminationUpload(string? Termination);
