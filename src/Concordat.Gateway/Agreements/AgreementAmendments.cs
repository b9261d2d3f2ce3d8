using Concordat.Agreements;
using Concordat.Amendments;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// The diff of an uploaded version against the version in force, which its activation entry names (both digests and
/// the diff's digest), and the diff between two stored versions for <c>GET /v1/agreements/{id}/diff</c>.
/// </summary>
internal static class AgreementAmendments
{
    /// <summary>The amendment <paramref name="agreement"/> makes to the version in force, or none when no version is in force.</summary>
    public static async Task<Amendment?> AgainstInForceAsync(IRegistryStore store, Agreement agreement, CancellationToken cancellationToken)
    {
        var versions = await store.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false);
        var inForce = versions.Where(v => v.Id == agreement.Id && v.State == AgreementVersionState.Active && v.Version < agreement.Version).MaxBy(v => v.Version);
        if (inForce is null || Read(inForce) is not { } old)
        {
            return null;
        }

        // A diff too large to decide still supersedes (the signers accepted it): the entry then names no diff digest.
        return AgreementDiffer.TryCompare(old, agreement, out var diff, out _)
            ? new Amendment(inForce.Version, inForce.Digest.ToString(), AgreementDiffJson.Digest(diff, old, agreement).ToString(), diff.GrantsMore, diff.Verdict)
            : new Amendment(inForce.Version, inForce.Digest.ToString(), null, null, null);
    }

    /// <summary>Reads a stored version; stored versions were valid when stored, so null only if the language changed since.</summary>
    public static Agreement? Read(AgreementVersionRecord version) => AgreementReader.Read(version.Document.Span, $"{version.Id}-v{version.Version}.yaml").Agreement;
}

/// <summary>What an activated version amends.</summary>
/// <param name="Supersedes">The version in force it supersedes.</param>
/// <param name="SupersedesDigest">That version's digest.</param>
/// <param name="DiffDigest">The digest of the diff (docs/design/amendments.md), when it could be decided.</param>
/// <param name="GrantsMore">Whether the new version grants more, when decided.</param>
/// <param name="Verdict">The verdict in a sentence, when decided.</param>
internal sealed record Amendment(int Supersedes, string SupersedesDigest, string? DiffDigest, bool? GrantsMore, string? Verdict);
