using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Cli;

/// <summary>
/// What <c>concordat quickstart</c> shows for a sample agreement: a request the agreement permits (the dataset, purpose
/// and jurisdiction of its first grant that reads rows) and one it really denies, each decided by the library now.
/// </summary>
/// <param name="Grant">The grant the permitted request goes through.</param>
/// <param name="Dataset">The dataset imported and read.</param>
/// <param name="Purpose">The permitted purpose.</param>
/// <param name="Jurisdiction">The permitted jurisdiction.</param>
/// <param name="DeniedPurpose">The purpose of the denied request.</param>
/// <param name="DeniedJurisdiction">The jurisdiction of the denied request.</param>
/// <param name="DeniedBecause">The first reason of the deny, in words.</param>
internal sealed record QuickstartPlan(Grant Grant, DatasetDefinition Dataset, PurposeId Purpose, string Jurisdiction, PurposeId DeniedPurpose, string DeniedJurisdiction, string DeniedBecause)
{
    /// <summary>The role of the identity quickstart creates: it may read rows.</summary>
    public const IdentityRole Role = IdentityRole.Training;

    private static readonly string[] s_otherJurisdictions = ["US", "CN", "IN", "BR", "RU", "DE", "GB"];

    /// <summary>Plans the requests for <paramref name="agreement"/> at <paramref name="now"/>, or null when no grant reads rows now.</summary>
    public static QuickstartPlan? Create(Agreement agreement, DateTimeOffset now)
    {
        var index = PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementDigest.Compute(agreement))]);
        foreach (var grant in agreement.Grants.Where(g => g.Actions.Contains(DataAction.ReadRows)))
        {
            var jurisdiction = grant.Jurisdictions.Count > 0 ? grant.Jurisdictions[0].Value
                : agreement.Parties.FirstOrDefault(p => p.Id == grant.Recipient)?.Jurisdiction.Value ?? "DE";
            foreach (var (dataset, purpose) in grant.Datasets.SelectMany(d => grant.Purposes.Select(p => (d, p))))
            {
                if (!Decide(index, grant, dataset, purpose, jurisdiction, now).IsPermit)
                {
                    continue;
                }

                // A denied twin of the permitted request: a prohibited or ungranted jurisdiction first, else a purpose.
                var candidates = agreement.Prohibitions.SelectMany(p => p.Jurisdictions).Select(j => (Purpose: purpose, Jurisdiction: j.Value))
                    .Concat(s_otherJurisdictions.Select(j => (Purpose: purpose, Jurisdiction: j)))
                    .Concat(agreement.Purposes.Select(p => (Purpose: p.Id, Jurisdiction: jurisdiction)));
                foreach (var (deniedPurpose, deniedJurisdiction) in candidates)
                {
                    var denied = Decide(index, grant, dataset, deniedPurpose, deniedJurisdiction, now);
                    if (!denied.IsPermit)
                    {
                        var definition = agreement.Datasets.First(d => d.Id == dataset);
                        return new QuickstartPlan(grant, definition, purpose, jurisdiction, deniedPurpose, deniedJurisdiction, denied.Reasons.Count > 0 ? denied.Reasons[0].ToString() : "denied");
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Decides a read of rows by an identity of <see cref="Role"/> through <paramref name="grant"/>'s recipient.</summary>
    public static Decision Decide(PolicyIndex index, Grant grant, DatasetId dataset, PurposeId purpose, string jurisdiction, DateTimeOffset now) =>
        index.Decide(new DecisionRequest(grant.Recipient, DataAction.ReadRows, dataset, purpose, new Jurisdiction(jurisdiction), null, now, Role));
}
