using Concordat.Agreements;
using Concordat.Compliance;
using Concordat.Notes;

namespace Concordat.Evidence;

/// <summary>What an evidence pack is built about.</summary>
/// <param name="Agreement">The agreement.</param>
/// <param name="Versions">Its stored versions, at least one.</param>
/// <param name="TrustedKeys">The signer keys the operator pinned (the workspace's <c>trusted-keys</c> text), which verify the versions' signatures.</param>
/// <param name="From">The first instant of the period, inclusive; <see langword="null"/> for the log's start.</param>
/// <param name="To">The end of the period, exclusive; <see langword="null"/> for the checkpoint.</param>
/// <param name="BuiltAt">When the pack is built, written in <c>pack.json</c>.</param>
public sealed record EvidencePackRequest(
    AgreementId Agreement,
    IReadOnlyList<EvidenceAgreementVersion> Versions,
    string TrustedKeys,
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateTimeOffset BuiltAt)
{
    /// <summary>Gets the previous pack of the same agreement, whose checkpoint the new one is proven consistent with; <see langword="null"/> for none.</summary>
    public Stream? Previous { get; init; }

    /// <summary>Gets the number of entries given a per-entry inclusion proof, chosen evenly over the entries.</summary>
    /// <value>8.</value>
    public int InclusionProofs { get; init; } = DefaultInclusionProofs;

    /// <summary>Gets the compliance artifacts registered for the agreement whose attestations verified, which <c>reports/compliance.json</c> checks the newest version against.</summary>
    /// <value>None.</value>
    public IReadOnlyList<ComplianceArtifact> ComplianceArtifacts { get; init; } = [];

    /// <summary>Gets the witnesses' cosignature verifiers whose cosignatures on the latest checkpoint <c>reports/compliance.json</c> counts.</summary>
    /// <value>None.</value>
    public IReadOnlyList<NoteVerifier> WitnessKeys { get; init; } = [];

    /// <summary>The default of <see cref="InclusionProofs"/>.</summary>
    public const int DefaultInclusionProofs = 8;
}
