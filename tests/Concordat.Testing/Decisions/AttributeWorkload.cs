using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// The attribute workload of issue 12, of Cedar's shape and made by a seeded generator: one consortium agreement
/// with 50 partners (clearance, jurisdiction, certifications), 200 datasets in 20 collections (sensitivity, personal
/// data, residency), 5 partner groups, 200 grants on groups, collections and single datasets with conditions, and
/// 8 attribute-based prohibitions; and at least 100,000 distinct requests.
/// </summary>
public sealed class AttributeWorkload
{
    public const int DefaultSeed = 20261203;
    public const int PartnerCount = 50;
    public const int DatasetCount = 200;
    public const int CollectionCount = 20;
    public const int GroupCount = 5;
    public const int RequestCount = 1 << 17;

    /// <summary>The eight attribute-based prohibitions: id, then <c>when</c>, <c>unless</c> and other terms as YAML-free values.</summary>
    public static readonly (string Id, string? When, string? Unless, SensitivityLevel[] Sensitivities, string[] Purposes, DataAction[] Actions)[] Prohibitions =
    [
        ("personal-data-stays-resident", "dataset.personalData and not request.jurisdiction in dataset.residency", null, [], [], []),
        ("above-clearance", "dataset.sensitivity > recipient.clearance", null, [], [], []),
        ("restricted-needs-certification", null, "any recipient.certifications in [iso-27001]", [SensitivityLevel.Restricted], [], []),
        ("no-training-on-personal-data", "dataset.personalData", null, [], ["training"], []),
        ("confidential-stays-in-eea", "dataset.sensitivity >= confidential and not request.jurisdiction in [EEA]", null, [], [], []),
        ("no-restricted-downloads", "dataset.sensitivity == restricted", null, [], [], [DataAction.DownloadSnapshot]),
        ("personal-data-to-eu-recipients", "dataset.personalData and not recipient.jurisdiction in [EEA]", null, [], [], []),
        ("sanctioned-jurisdictions", "request.jurisdiction in [CN, RU] or recipient.jurisdiction in [CN, RU]", null, [], [], []),
    ];

    private static readonly string[] s_purposes = ["training", "evaluation", "research"];
    private static readonly string[] s_partnerJurisdictions = ["DE", "FR", "NL", "GB", "US", "NO", "CN"];
    private static readonly string[] s_requestJurisdictions = ["DE", "FR", "NL", "GB", "US", "CN", "RU", "EU", "NO"];
    private static readonly string[][] s_residencies = [["EU"], ["DE"], ["FR", "NL"], ["EEA"], ["US"]];
    private static readonly DateTimeOffset s_from = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private AttributeWorkload(PolicyAgreement agreement, DecisionRequest[] requests)
    {
        Agreements = [agreement];
        Requests = requests;
    }

    /// <summary>Gets the agreement, in force.</summary>
    public IReadOnlyList<PolicyAgreement> Agreements { get; }

    /// <summary>Gets the requests: distinct, a power of two in number so they can be cycled with a mask.</summary>
    public DecisionRequest[] Requests { get; }

    public static AttributeWorkload Create(int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var partners = Enumerable.Range(0, PartnerCount).Select(p => $"partner-{p:D2}").ToArray();
        var datasets = Enumerable.Range(0, DatasetCount).Select(d => $"dataset-{d:D3}").ToArray();
        var builder = new AgreementBuilder("consortium").Party("provider", "DE", PartyRole.Provider).Purpose("research").Purpose("training", "research").Purpose("fine-tuning", "training").Purpose("evaluation");
        foreach (var partner in partners)
        {
            builder.Party(partner, s_partnerJurisdictions[random.Next(s_partnerJurisdictions.Length)], PartyRole.Recipient);
        }

        foreach (var (dataset, d) in datasets.Select((x, i) => (x, i)))
        {
            builder.Dataset(dataset, "provider", (SensitivityLevel)(d % 4));
        }

        // 100 grants of a group on a collection, 50 of one partner on a collection, 50 of one partner on one dataset.
        for (var g = 0; g < GroupCount; g++)
        {
            for (var c = 0; c < CollectionCount; c++)
            {
                builder.Grant(Grant($"group-{g}-collection-{c:D2}", random, x => x with { Groups = [new GroupId($"group-{g}")], Collections = [new CollectionId($"collection-{c:D2}")] }, "dataset.sensitivity <= recipient.clearance"));
            }
        }

        foreach (var (partner, p) in partners.Select((x, i) => (x, i)))
        {
            builder.Grant(Grant($"partner-{p:D2}-collection", random, g => g with { Recipient = new PartyId(partner), Collections = [new CollectionId($"collection-{random.Next(CollectionCount):D2}")] }, "request.time < 2027-06-01T00:00:00Z"));
            builder.Grant(Grant($"partner-{p:D2}-dataset", random, g => g with { Recipient = new PartyId(partner), Datasets = [new DatasetId(datasets[random.Next(DatasetCount)])] }, null));
        }

        foreach (var (id, when, unless, sensitivities, purposes, actions) in Prohibitions)
        {
            builder.Prohibition(AgreementBuilder.CreateProhibition(id, purposes: purposes, sensitivities: sensitivities, actions: actions) with { When = Parse(when), Unless = Parse(unless) });
        }

        var built = builder.Build();
        var agreement = built with
        {
            Collections = [.. Enumerable.Range(0, CollectionCount).Select(c => new CollectionDefinition(new CollectionId($"collection-{c:D2}"), [.. datasets.Where((_, d) => d % CollectionCount == c).Select(d => new DatasetId(d))]))],
            Groups = [.. Enumerable.Range(0, GroupCount).Select(g => new GroupDefinition(new GroupId($"group-{g}"), [.. partners.Where((_, p) => p % GroupCount == g).Select(p => new PartyId(p))]))],
            Parties = [.. built.Parties.Select(p => p.Id.Value == "provider" ? p : p with
            {
                Clearance = (SensitivityLevel)random.Next(4),
                Certifications = random.Next(2) == 0 ? ["iso-27001"] : [],
            })],
            Datasets = [.. built.Datasets.Select(d => d with { Tags = d.Tags with { PersonalData = random.Next(3) == 0, Residency = [.. s_residencies[random.Next(s_residencies.Length)].Select(j => new Jurisdiction(j))] } })],
        };

        var partnerIds = partners.Select(p => new PartyId(new string(p.AsSpan()))).ToArray();
        var datasetIds = datasets.Select(d => new DatasetId(new string(d.AsSpan()))).ToArray();
        var purposeIds = s_purposes.Append("fine-tuning").Select(p => new PurposeId(new string(p.AsSpan()))).ToArray();
        var jurisdictionIds = s_requestJurisdictions.Select(j => new Jurisdiction(new string(j.AsSpan()))).ToArray();
        var requests = new DecisionRequest[RequestCount];
        for (var i = 0; i < requests.Length; i++)
        {
            // Invariant: each request has its own second, so no two requests are the same.
            requests[i] = new DecisionRequest(
                partnerIds[random.Next(PartnerCount)],
                (DataAction)random.Next(3),
                datasetIds[random.Next(DatasetCount)],
                purposeIds[random.Next(purposeIds.Length)],
                jurisdictionIds[random.Next(jurisdictionIds.Length)],
                null,
                s_from.AddSeconds(i * 240L));
        }

        return new AttributeWorkload(new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement)), requests);
    }

    private static Grant Grant(string id, Random random, Func<Grant, Grant> scope, string? when)
    {
        var purposes = s_purposes.Where(_ => random.Next(2) == 0).DefaultIfEmpty("research").ToArray();
        var grant = AgreementBuilder.CreateGrant(id, string.Empty, [], purposes, [DataAction.ReadRows, DataAction.AggregateQuery, DataAction.DownloadSnapshot], g => g with
        {
            FieldRules = [new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null)],
            TokenLifetime = TimeSpan.FromMinutes(15),
        });
        return scope(grant) with { When = Parse(when) };
    }

    private static Condition? Parse(string? text) =>
        text is null ? null : Condition.TryParse(text, out var condition, out var error) ? condition : throw new InvalidOperationException(error);
}
