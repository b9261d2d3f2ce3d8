using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Store.Registry;

/// <summary>
/// One stored version of an agreement: its source document exactly as uploaded, its digest and signatures.
/// </summary>
/// <param name="Id">The agreement id.</param>
/// <param name="Version">The version.</param>
/// <param name="Digest">The digest of the agreement's canonical form, which the signatures sign.</param>
/// <param name="Document">The YAML source as uploaded.</param>
/// <param name="Signatures">The signatures as uploaded.</param>
/// <param name="State">Where the version stands.</param>
/// <param name="UploadedAt">When it was uploaded.</param>
/// <param name="ActivatedAt">When it became active, when it did.</param>
/// <param name="Termination">The signed termination record (<c>concordat-agreement-termination/v1</c>) as uploaded, when one was.</param>
/// <param name="TerminatesAt">When that termination takes effect.</param>
public sealed record AgreementVersionRecord(
    AgreementId Id,
    int Version,
    Sha256Digest Digest,
    ReadOnlyMemory<byte> Document,
    IReadOnlyList<AgreementSignatureRecord> Signatures,
    AgreementVersionState State,
    DateTimeOffset UploadedAt,
    DateTimeOffset? ActivatedAt,
    string? Termination = null,
    DateTimeOffset? TerminatesAt = null);
