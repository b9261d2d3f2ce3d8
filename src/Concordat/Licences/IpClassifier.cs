using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// Names the owner of an artifact from the agreement's IP terms (docs/design/licences.md#ip-classification).
/// </summary>
/// <remarks>
/// Background IP stays with the party that brought it. Foreground IP follows <c>intellectualProperty.foreground</c>:
/// <c>joint</c> gives every party, <c>discoverer</c> the party that created it, <c>party</c> the
/// <c>foregroundOwner</c>. Third-party IP is owned outside the agreement; its licence MUST be one of
/// <c>thirdPartyLicences</c> when the agreement lists them. An owner that cannot be determined is an error.
/// </remarks>
public static class IpClassifier
{
    /// <summary>Classifies an artifact under an agreement.</summary>
    /// <param name="agreement">The agreement whose IP terms apply.</param>
    /// <param name="artifact">The artifact.</param>
    /// <returns>The category, the owners and the findings.</returns>
    public static IpClassification Classify(Agreement agreement, IpArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(artifact);
        var findings = new List<Diagnostic>();
        var terms = agreement.IntellectualProperty;
        var prefix = $"artifact `{artifact.Name}`: agreement `{agreement.Id.Value}`";
        IReadOnlyList<PartyId> owners = [];
        switch (artifact.Category)
        {
            case IpCategory.Background when IsParty(agreement, artifact.Party):
                owners = [artifact.Party!.Value];
                if (terms is null || !terms.Background.Any(b => b.Party == artifact.Party))
                {
                    findings.Add(LicenceErrorCodes.BackgroundNotDeclared.Warning($"{prefix}: `intellectualProperty.background` declares nothing for party `{artifact.Party!.Value.Value}`"));
                }

                break;
            case IpCategory.Foreground:
                owners = ForegroundOwners(agreement, artifact, prefix, findings);
                break;
            case IpCategory.ThirdParty:
                CheckThirdParty(agreement, artifact, prefix, findings);
                break;
            default:
                findings.Add(LicenceErrorCodes.OwnerUndetermined.Error($"{prefix}: background IP needs the party that brought it, and `{artifact.Party?.Value}` is not a party"));
                break;
        }

        return new IpClassification(artifact.Name, artifact.Category, owners, artifact.Category == IpCategory.ThirdParty ? artifact.ExternalOwner : null, findings);
    }

    /// <summary>Names a category as attestations and the command line write it.</summary>
    /// <param name="category">The category.</param>
    /// <returns><c>background</c>, <c>foreground</c> or <c>third-party</c>.</returns>
    public static string NameOf(IpCategory category) => category switch
    {
        IpCategory.Background => "background",
        IpCategory.Foreground => "foreground",
        IpCategory.ThirdParty => "third-party",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "not an IP category"),
    };

    private static List<PartyId> ForegroundOwners(Agreement agreement, IpArtifact artifact, string prefix, List<Diagnostic> findings)
    {
        switch (agreement.IntellectualProperty?.Foreground)
        {
            case ForegroundOwnership.Joint:
                return [.. agreement.Parties.Select(p => p.Id)];
            case ForegroundOwnership.Discoverer when IsParty(agreement, artifact.Party):
                return [artifact.Party!.Value];
            case ForegroundOwnership.Discoverer:
                findings.Add(LicenceErrorCodes.OwnerUndetermined.Error($"{prefix}: `intellectualProperty.foreground` is `discoverer`, and the artifact names no party of the agreement that created it"));
                return [];
            case ForegroundOwnership.Party when IsParty(agreement, agreement.IntellectualProperty!.ForegroundOwner):
                return [agreement.IntellectualProperty!.ForegroundOwner!.Value];
            case ForegroundOwnership.Party:
                findings.Add(LicenceErrorCodes.OwnerUndetermined.Error($"{prefix}: `intellectualProperty.foregroundOwner` names no party of the agreement"));
                return [];
            default:
                findings.Add(LicenceErrorCodes.OwnerUndetermined.Error($"{prefix}: `intellectualProperty.foreground` is not set, so nobody owns what is created under it"));
                return [];
        }
    }

    private static void CheckThirdParty(Agreement agreement, IpArtifact artifact, string prefix, List<Diagnostic> findings)
    {
        if (artifact.Licence is null)
        {
            findings.Add(LicenceErrorCodes.LicenceMissing.Error($"{prefix}: third-party artifact `{artifact.Name}` has no licence expression"));
            return;
        }

        var parsed = LicenceExpressionParser.Parse(artifact.Licence);
        findings.AddRange(parsed.Diagnostics.Select(d => d with { Message = $"{prefix}: {d.Message}" }));
        if (parsed.Expression is not null && LicenceCompatibility.NotAllowed(agreement, $"artifact `{artifact.Name}`", parsed.Expression) is { } notAllowed)
        {
            findings.Add(notAllowed);
        }
    }

    private static bool IsParty(Agreement agreement, PartyId? party) => party is { } id && agreement.Parties.Any(p => p.Id == id);
}
