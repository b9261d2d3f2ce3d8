using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// Random agreements written on attributes, for the Cedar differential: datasets with tags and custom attributes,
/// collections, parties with clearance, certifications and custom attributes, groups, grants with conditions and
/// prohibitions with <c>when</c> and <c>unless</c>, their conditions drawn from a small grammar over every attribute
/// and operator; and requests that mostly fall inside the agreement (covered, in its window), so clauses decide.
/// </summary>
public sealed class RandomAttributeAgreements(Random random)
{
    private static readonly string[] s_jurisdictions = ["DE", "FR", "NL", "GB", "US", "NO", "CN", "EU", "EEA", "XX"];
    private static readonly string[] s_countries = ["DE", "FR", "NL", "GB", "US", "NO", "CN"];
    private static readonly string[] s_certifications = ["iso-27001", "soc2", "hipaa"];
    private static readonly string[] s_levels = ["public", "internal", "confidential", "restricted"];
    private static readonly string[] s_tiers = ["bronze", "silver", "gold"];
    private static readonly string[] s_domains = ["health", "finance", "web"];
    private static readonly string[] s_actions = ["read-rows", "aggregate-query", "download-snapshot"];
    private static readonly string[] s_roles = ["ingestion", "training", "deployment", "analysis"];
    private static readonly string[] s_operators = ["==", "!=", "<", "<=", ">", ">="];
    private static readonly (string Id, string? Broader)[] s_vocabulary =
    [
        ("research", null), ("training", "research"), ("fine-tuning", "training"), ("evaluation", null), ("red-teaming", "evaluation"),
    ];

    private static readonly DateTimeOffset s_from = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private string[] _parties = [];
    private string[] _datasets = [];
    private Agreement? _agreement;

    /// <summary>Makes an agreement with <paramref name="id"/>; the requests of <see cref="Request"/> then address it.</summary>
    public Agreement Agreement(string id)
    {
        _parties = [.. Enumerable.Range(0, random.Next(3, 7)).Select(p => $"party-{p}")];
        _datasets = [.. Enumerable.Range(0, random.Next(3, 7)).Select(d => $"dataset-{d}")];
        var builder = new AgreementBuilder(id).Party("provider", "DE", PartyRole.Provider);
        foreach (var party in _parties)
        {
            builder.Party(party, Pick(s_countries), random.Next(8) == 0 ? PartyRole.Processor : PartyRole.Recipient);
        }

        foreach (var dataset in _datasets)
        {
            builder.Dataset(dataset, "provider", Pick(Enum.GetValues<SensitivityLevel>()));
        }

        foreach (var (purpose, broader) in s_vocabulary)
        {
            builder.Purpose(purpose, broader);
        }

        builder.Window(s_from, random.Next(4) == 0 ? null : s_from.AddDays(random.Next(200, 700)));
        var collections = Enumerable.Range(0, random.Next(1, 4)).Select(c => new CollectionDefinition(new CollectionId($"collection-{c}"), [.. Some(_datasets, 1).Select(d => new DatasetId(d))])).ToList();
        var groups = Enumerable.Range(0, random.Next(1, 4)).Select(g => new GroupDefinition(new GroupId($"group-{g}"), [.. Some(_parties, 1).Select(p => new PartyId(p))])).ToList();
        for (var g = random.Next(3, 11); g > 0; g--)
        {
            builder.Grant(Grant($"grant-{g}", collections, groups));
        }

        for (var p = random.Next(0, 4); p > 0; p--)
        {
            builder.Prohibition(Prohibition($"prohibition-{p}", collections, groups));
        }

        var built = builder.Build();
        _agreement = built with
        {
            Attributes =
            [
                new AttributeDeclaration("tier", AttributeOwner.Party, AttributeType.Ordered, s_tiers),
                new AttributeDeclaration("certifiedUntil", AttributeOwner.Party, AttributeType.Instant, []),
                new AttributeDeclaration("regions", AttributeOwner.Party, AttributeType.JurisdictionSet, []),
                new AttributeDeclaration("records", AttributeOwner.Dataset, AttributeType.Integer, []),
                new AttributeDeclaration("domain", AttributeOwner.Dataset, AttributeType.String, []),
                new AttributeDeclaration("audited", AttributeOwner.Dataset, AttributeType.Boolean, []),
            ],
            Collections = collections,
            Groups = groups,
            Parties = [.. built.Parties.Select(p => p with
            {
                Clearance = random.Next(4) == 0 ? null : Pick(Enum.GetValues<SensitivityLevel>()),
                Certifications = Some(s_certifications, 0),
                Attributes = [.. new[]
                {
                    random.Next(3) == 0 ? null : new AttributeAssignment("tier", [Pick(s_tiers)]),
                    random.Next(3) == 0 ? null : new AttributeAssignment("certifiedUntil", [Rfc3339.Format(Time())]),
                    random.Next(3) == 0 ? null : new AttributeAssignment("regions", Some(s_jurisdictions, 0)),
                }.OfType<AttributeAssignment>()],
            })],
            Datasets = [.. built.Datasets.Select(d => d with
            {
                Tags = d.Tags with
                {
                    PersonalData = random.Next(2) == 0,
                    Licence = random.Next(3) == 0 ? null : Pick(["CC-BY-4.0", "MIT"]),
                    Source = random.Next(2) == 0 ? null : Pick(["web", "survey"]),
                    OriginJurisdiction = random.Next(2) == 0 ? null : new Jurisdiction(Pick(s_countries)),
                    Residency = [.. Some(s_jurisdictions[..9], 0).Select(j => new Jurisdiction(j))],
                },
                Attributes = [.. new[]
                {
                    random.Next(3) == 0 ? null : new AttributeAssignment("records", [random.Next(0, 2000).ToString(System.Globalization.CultureInfo.InvariantCulture)]),
                    random.Next(3) == 0 ? null : new AttributeAssignment("domain", [Pick(s_domains)]),
                    random.Next(3) == 0 ? null : new AttributeAssignment("audited", [Pick(["true", "false"])]),
                }.OfType<AttributeAssignment>()],
            })],
        };
        return _agreement;
    }

    /// <summary>
    /// A request on the last agreement made: half of them aimed at one of its grants (a recipient, dataset, action and
    /// purpose it names), the others drawn from the whole agreement; a few with an unknown id or outside the window.
    /// </summary>
    public DecisionRequest Request()
    {
        var agreement = _agreement ?? throw new InvalidOperationException("make an agreement first");
        var (recipient, dataset, action, purpose) = (Pick(_parties), Pick(_datasets), Pick(Enum.GetValues<DataAction>()), Pick(s_vocabulary).Id);
        if (random.Next(2) == 0 && agreement.Grants.Count > 0)
        {
            var grant = Pick(agreement.Grants);
            var recipients = agreement.Groups.Where(g => grant.Groups.Contains(g.Id)).SelectMany(g => g.Parties).Append(grant.Recipient).Where(p => p.Value.Length > 0).ToArray();
            var datasets = agreement.Collections.Where(c => grant.Collections.Contains(c.Id)).SelectMany(c => c.Datasets).Concat(grant.Datasets).ToArray();
            (recipient, dataset, action, purpose) = (Pick(recipients).Value, Pick(datasets).Value, Pick(grant.Actions), Pick(grant.Purposes).Value);
        }

        var until = agreement.Effective.Until ?? s_from.AddDays(400);
        return new(
            new PartyId(random.Next(40) == 0 ? "stranger" : random.Next(40) == 0 ? "provider" : recipient),
            action,
            new DatasetId(random.Next(40) == 0 ? "secret" : dataset),
            new PurposeId(random.Next(40) == 0 ? "advertising" : purpose),
            new Jurisdiction(Pick(s_jurisdictions)),
            random.Next(4) == 0 ? new PartyId(Pick(_parties)) : null,
            random.Next(20) == 0 ? s_from.AddDays(-random.Next(1, 30)) : s_from.AddSeconds(random.NextInt64((long)(until - s_from).TotalSeconds)),
            random.Next(6) == 0 ? Pick(Enum.GetValues<IdentityRole>()) : null);
    }

    /// <summary>A random well-typed condition: an atom, its negation, or two joined by <c>and</c> or <c>or</c>.</summary>
    public Condition RandomCondition()
    {
        var text = random.Next(6) switch
        {
            0 => $"not ({Atom()})",
            1 => $"({Atom()}) and ({Atom()})",
            2 => $"({Atom()}) or ({Atom()})",
            3 => $"(({Atom()}) or ({Atom()})) and not ({Atom()})",
            _ => Atom(),
        };
        return Condition.TryParse(text, out var condition, out var error) ? condition : throw new InvalidOperationException($"`{text}`: {error}");
    }

    private string Atom() => random.Next(30) switch
    {
        0 => $"dataset.sensitivity {Pick(s_operators)} {Pick(s_levels)}",
        1 => $"dataset.sensitivity {Pick(s_operators)} recipient.clearance",
        2 => "dataset.personalData",
        3 => "request.jurisdiction in dataset.residency",
        4 => $"request.jurisdiction in [{List(s_jurisdictions)}]",
        5 => $"recipient.jurisdiction {Pick(["==", "!="])} request.jurisdiction",
        6 => $"recipient.jurisdiction in [{List(s_jurisdictions)}]",
        7 => $"dataset.originJurisdiction in [{List(s_jurisdictions)}]",
        8 => $"any recipient.certifications in [{List(s_certifications)}]",
        9 => $"all dataset.residency in [{List(s_jurisdictions)}]",
        10 => "any dataset.residency in recipient.regions",
        11 => $"request.time {Pick(s_operators)} {Rfc3339.Format(Time())}",
        12 => $"request.time {Pick(["<", ">="])} recipient.certifiedUntil",
        13 => $"request.purpose in [{List(s_vocabulary.Select(v => v.Id).ToArray())}]",
        14 => $"request.purpose {Pick(["==", "!="])} {Pick(s_vocabulary).Id}",
        15 => $"request.action in [{List(s_actions)}]",
        16 => $"request.action {Pick(["==", "!="])} {Pick(s_actions)}",
        17 => $"request.role {Pick(["==", "!="])} {Pick(s_roles)}",
        18 => $"request.subprocessor in [{List(_parties)}]",
        19 => $"recipient.tier {Pick(s_operators)} {Pick(s_tiers)}",
        20 => $"dataset.records {Pick(s_operators)} {random.Next(0, 2000)}",
        21 => $"dataset.domain {Pick(["==", "!="])} {Pick(s_domains)}",
        22 => $"'group-{random.Next(3)}' in recipient.groups",
        23 => $"'collection-{random.Next(3)}' in dataset.collections",
        24 => $"{Pick(s_jurisdictions)} in dataset.residency",
        25 => $"dataset.sensitivity in [{List(s_levels)}]",
        26 => $"recipient.id in [{List(_parties)}]",
        27 => "dataset.audited",
        28 => $"dataset.licence {Pick(["==", "!="])} 'CC-BY-4.0'",
        _ => $"all recipient.regions in dataset.residency",
    };

    private Grant Grant(string id, List<CollectionDefinition> collections, List<GroupDefinition> groups)
    {
        var byGroup = random.Next(3) == 0;
        var byCollection = random.Next(3) == 0;
        var grant = AgreementBuilder.CreateGrant(
            id,
            byGroup && random.Next(2) == 0 ? string.Empty : Pick(_parties),
            byCollection && random.Next(2) == 0 ? [] : Some(_datasets, 1),
            Some(s_vocabulary.Select(v => v.Id).ToArray(), 1),
            Some(Enum.GetValues<DataAction>(), 1),
            g => g with
            {
                Jurisdictions = random.Next(3) == 0 ? [.. Some(s_jurisdictions, 1).Select(j => new Jurisdiction(j))] : [],
                Subprocessors = random.Next(3) == 0 ? [.. Some(_parties, 1).Select(p => new PartyId(p))] : [],
                Window = random.Next(5) == 0 ? new TimeWindow(s_from.AddDays(random.Next(0, 100)), s_from.AddDays(random.Next(100, 200))) : null,
            });
        return grant with
        {
            Groups = byGroup ? [Pick(groups).Id] : [],
            Collections = byCollection ? [Pick(collections).Id] : [],
            When = random.Next(2) == 0 ? null : RandomCondition(),
        };
    }

    private Prohibition Prohibition(string id, List<CollectionDefinition> collections, List<GroupDefinition> groups) =>
        AgreementBuilder.CreateProhibition(
            id,
            random.Next(4) == 0 ? Some(_parties, 1) : [],
            random.Next(4) == 0 ? Some(_datasets, 1) : [],
            random.Next(3) == 0 ? Some(s_vocabulary.Select(v => v.Id).ToArray(), 1) : [],
            random.Next(4) == 0 ? Some(s_jurisdictions, 1) : [],
            random.Next(4) == 0 ? Some(Enum.GetValues<SensitivityLevel>(), 1) : [],
            random.Next(4) == 0 ? Some(Enum.GetValues<DataAction>(), 1) : []) with
        {
            Groups = random.Next(5) == 0 ? [Pick(groups).Id] : [],
            Collections = random.Next(5) == 0 ? [Pick(collections).Id] : [],
            Reidentification = random.Next(6) == 0,
            When = random.Next(3) == 0 ? null : RandomCondition(),
            Unless = random.Next(3) == 0 ? RandomCondition() : null,
        };

    private DateTimeOffset Time() => s_from.AddDays(random.Next(0, 400)).AddSeconds(random.Next(86400));

    private string List(string[] values) => string.Join(", ", Some(values, 1));

    private T Pick<T>(IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private T[] Some<T>(T[] values, int atLeast)
    {
        var chosen = values.Where(_ => random.Next(2) == 0).ToArray();
        return chosen.Length >= atLeast ? chosen : [.. values.OrderBy(_ => random.Next()).Take(atLeast)];
    }
}
