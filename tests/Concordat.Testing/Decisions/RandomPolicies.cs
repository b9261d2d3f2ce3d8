using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// Small random agreements and requests drawn from tight pools, so that clauses overlap, conflict and
/// collide often; for differential and monotonicity properties.
/// </summary>
public sealed class RandomPolicies(Random random)
{
    private static readonly string[] s_parties = ["lab", "hospital", "uni", "vendor", "auditor"];
    private static readonly string[] s_datasets = ["corpus", "records", "images", "logs"];
    private static readonly string[] s_jurisdictions = ["DE", "FR", "GB", "US", "NO", "EU", "EEA", "XX"];
    private static readonly (string Id, string? Broader)[] s_vocabulary =
    [
        ("research", null), ("training", null), ("fine-tuning", "training"), ("pre-training", "training"),
        ("evaluation", null), ("red-teaming", "evaluation"), ("benchmarking", "evaluation"),
    ];

    /// <summary>Conditions over every kind of attribute and operator, each well typed against <see cref="Agreement"/>'s declarations.</summary>
    public static readonly string[] Conditions =
    [
        "dataset.sensitivity <= recipient.clearance",
        "dataset.personalData",
        "not request.jurisdiction in dataset.residency",
        "request.jurisdiction in dataset.residency",
        "request.jurisdiction in [EU]",
        "any recipient.certifications in [iso-27001, soc2]",
        "recipient.jurisdiction == request.jurisdiction",
        "request.time < 2026-09-01T00:00:00Z",
        "request.action == read-rows or dataset.sensitivity == public",
        "request.purpose in [training]",
        "request.role != training",
        "request.subprocessor in [lab, uni]",
        "all dataset.residency in [EEA]",
        "recipient.tier >= silver",
        "'members' in recipient.groups",
        "'community' in dataset.collections",
        "not (dataset.sensitivity > internal and recipient.jurisdiction != DE)",
        "request.time >= recipient.certifiedSince",
    ];

    private static readonly string[] s_certifications = ["iso-27001", "soc2", "hipaa"];

    private static readonly DateTimeOffset s_epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public List<PolicyAgreement> Agreements()
    {
        var list = new List<PolicyAgreement>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var agreement = Agreement($"agreement-{i}");
            list.Add(new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement), random.Next(6) != 0));
        }

        return list;
    }

    public Agreement Agreement(string id)
    {
        var builder = new AgreementBuilder(id);
        if (random.Next(4) == 0)
        {
            builder.Window(Time(), random.Next(3) == 0 ? null : Time().AddDays(400));
        }

        var parties = Some(s_parties, 1);
        foreach (var party in parties)
        {
            builder.Party(party, Pick(s_jurisdictions[..5]), random.Next(5) == 0 ? PartyRole.Provider : PartyRole.Recipient);
        }

        var datasets = Some(s_datasets, 1);
        foreach (var dataset in datasets)
        {
            builder.Dataset(dataset, parties[0], Pick(Enum.GetValues<SensitivityLevel>()));
        }

        // Invariant: `training` is always in the vocabulary, so every condition of the pool checks (`request.purpose in [training]`).
        foreach (var (purpose, broader) in s_vocabulary.Where(v => v.Id == "training" || random.Next(5) != 0))
        {
            builder.Purpose(purpose, broader);
        }

        for (var g = random.Next(0, 6); g > 0; g--)
        {
            builder.Grant(WithAttributes(Grant($"g{g}", random.Next(8) == 0 ? Pick(s_parties) : Pick(parties), Some(datasets, 1))));
        }

        for (var p = random.Next(0, 3); p > 0; p--)
        {
            builder.Prohibition(WithAttributes(Prohibition($"p{p}", parties, datasets)));
        }

        var built = builder.Build();
        return built with
        {
            Attributes =
            [
                new AttributeDeclaration("tier", AttributeOwner.Party, AttributeType.Ordered, ["bronze", "silver", "gold"]),
                new AttributeDeclaration("certifiedSince", AttributeOwner.Party, AttributeType.Instant, []),
            ],
            Groups = [new GroupDefinition(new GroupId("members"), [.. Some(parties, 0).Select(p => new PartyId(p))])],
            Collections = [new CollectionDefinition(new CollectionId("community"), [.. Some(datasets, 0).Select(d => new DatasetId(d))])],
            Parties = [.. built.Parties.Select(p => p with
            {
                Clearance = random.Next(4) == 0 ? null : Pick(Enum.GetValues<SensitivityLevel>()),
                Certifications = Some(s_certifications, 0),
                Attributes = [.. new[]
                {
                    random.Next(3) == 0 ? null : new AttributeAssignment("tier", [Pick(["bronze", "silver", "gold"])]),
                    random.Next(3) == 0 ? null : new AttributeAssignment("certifiedSince", [global::Concordat.Core.Rfc3339.Format(Time())]),
                }.OfType<AttributeAssignment>()],
            })],
            Datasets = [.. built.Datasets.Select(d => d with { Tags = d.Tags with { PersonalData = random.Next(2) == 0, Residency = [.. Some(s_jurisdictions, 0).Select(j => new Jurisdiction(j))] } })],
        };
    }

    /// <summary>Adds collections, groups and conditions to a grant at random.</summary>
    public Grant WithAttributes(Grant grant) => grant with
    {
        Collections = random.Next(4) == 0 ? [new CollectionId("community")] : [],
        Groups = random.Next(4) == 0 ? [new GroupId("members")] : [],
        When = random.Next(2) == 0 ? RandomCondition() : null,
    };

    /// <summary>Adds collections, groups and conditions to a prohibition at random.</summary>
    public Prohibition WithAttributes(Prohibition prohibition) => prohibition with
    {
        Collections = random.Next(5) == 0 ? [new CollectionId("community")] : [],
        Groups = random.Next(5) == 0 ? [new GroupId("members")] : [],
        When = random.Next(2) == 0 ? RandomCondition() : null,
        Unless = random.Next(3) == 0 ? RandomCondition() : null,
    };

    /// <summary>A condition of the pool, or two joined by <c>and</c> or <c>or</c>.</summary>
    public Condition RandomCondition()
    {
        var text = random.Next(3) == 0 ? $"({Pick(Conditions)}) {Pick(["and", "or"])} ({Pick(Conditions)})" : Pick(Conditions);
        return Condition.TryParse(text, out var condition, out var error) ? condition : throw new InvalidOperationException(error);
    }

    public Grant Grant(string id, string recipient, string[] datasets) =>
        AgreementBuilder.CreateGrant(id, recipient, datasets, Some(s_vocabulary.Select(v => v.Id).ToArray(), 1), Some(Enum.GetValues<DataAction>(), 1), g => g with
        {
            Jurisdictions = random.Next(2) == 0 ? [] : [.. Some(s_jurisdictions, 1).Select(j => new Jurisdiction(j))],
            Subprocessors = random.Next(3) == 0 ? [new PartyId(Pick(s_parties))] : [],
            Window = random.Next(4) == 0 ? new TimeWindow(Time(), Time().AddDays(300)) : null,
            FieldRules = random.Next(2) == 0 ? [] : [new FieldRule(new FieldName(Pick(["name", "dob", "postcode"])), Pick(Enum.GetValues<FieldRuleKind>()), Pick<string?>([null, "year", "month", "range:10", "prefix:3", "4"]))],
            RowRules = random.Next(3) == 0 ? new RowRules(random.Next(2) == 0, [.. Some(s_jurisdictions, 0).Select(j => new Jurisdiction(j))]) : null,
            TokenLifetime = random.Next(2) == 0 ? TimeSpan.FromMinutes(random.Next(1, 120)) : null,
            RateLimit = random.Next(2) == 0 ? new RateLimit(random.Next(1, 1000), TimeSpan.FromSeconds(random.Next(1, 3600))) : null,
            MinGroupSize = random.Next(2) == 0 ? random.Next(1, 50) : null,
            PrivacyBudget = random.Next(3) == 0 ? new PrivacyBudget(random.Next(1, 10) / 4.0, random.Next(1, 5) * 1e-6, TimeSpan.FromDays(random.Next(1, 60))) : null,
        });

    public Prohibition Prohibition(string id, string[] parties, string[] datasets) => AgreementBuilder.CreateProhibition(
        id,
        random.Next(2) == 0 ? [] : Some(parties, 1),
        random.Next(2) == 0 ? [] : Some(datasets, 1),
        random.Next(2) == 0 ? [] : Some(s_vocabulary.Select(v => v.Id).ToArray(), 1),
        random.Next(2) == 0 ? [] : Some(s_jurisdictions, 1),
        random.Next(3) == 0 ? Some(Enum.GetValues<SensitivityLevel>(), 1) : [],
        random.Next(3) == 0 ? Some(Enum.GetValues<DataAction>(), 1) : []) with
    {
        Reidentification = random.Next(5) == 0,
    };

    public DecisionRequest Request() => new(
        new PartyId(random.Next(10) == 0 ? "stranger" : Pick(s_parties)),
        Pick(Enum.GetValues<DataAction>()),
        new DatasetId(random.Next(10) == 0 ? "secret" : Pick(s_datasets)),
        new PurposeId(random.Next(10) == 0 ? "advertising" : Pick(s_vocabulary).Id),
        new Jurisdiction(Pick(s_jurisdictions)),
        random.Next(4) == 0 ? new PartyId(Pick(s_parties)) : null,
        Time(),
        random.Next(3) == 0 ? Pick(Enum.GetValues<IdentityRole>()) : null);

    private DateTimeOffset Time() => s_epoch.AddDays(random.Next(-100, 900)).AddSeconds(random.Next(86400));

    private T Pick<T>(T[] values) => values[random.Next(values.Length)];

    private T[] Some<T>(T[] values, int atLeast)
    {
        var chosen = values.Where(_ => random.Next(2) == 0).ToArray();
        return chosen.Length >= atLeast ? chosen : [.. values.OrderBy(_ => random.Next()).Take(atLeast)];
    }
}
