using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// The reference workload of the decision benchmarks (issue 2 §8), made by a seeded generator so every run
/// measures the same thing: 50 recipients × 200 datasets × 3 purposes, one bilateral agreement per recipient,
/// with prohibitions on jurisdictions and sensitivity, and at least 100,000 distinct requests.
/// </summary>
public sealed class ReferenceWorkload
{
    public const int DefaultSeed = 20261121;
    public const int RecipientCount = 50;
    public const int DatasetCount = 200;
    public const int RequestCount = 1 << 17;

    private static readonly string[] s_purposes = ["training", "evaluation", "research"];
    private static readonly string[] s_jurisdictions = ["DE", "FR", "NL", "GB", "US", "CN", "RU", "EU"];
    private static readonly DateTimeOffset s_from = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private ReferenceWorkload(IReadOnlyList<PolicyAgreement> agreements, DecisionRequest[] requests)
    {
        Agreements = agreements;
        Requests = requests;
    }

    /// <summary>Gets the agreements, all in force.</summary>
    public IReadOnlyList<PolicyAgreement> Agreements { get; }

    /// <summary>Gets the requests: distinct, a power of two in number so they can be cycled with a mask.</summary>
    public DecisionRequest[] Requests { get; }

    public static ReferenceWorkload Create(int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var datasets = Enumerable.Range(0, DatasetCount).Select(d => $"dataset-{d:D3}").ToArray();
        var agreements = new List<PolicyAgreement>(RecipientCount);
        for (var r = 0; r < RecipientCount; r++)
        {
            var recipient = $"recipient-{r:D2}";
            var builder = new AgreementBuilder($"dua-{recipient}")
                .Party("provider", "DE", PartyRole.Provider)
                .Party(recipient, r % 2 == 0 ? "DE" : "US", PartyRole.Recipient)
                .Purpose("training")
                .Purpose("fine-tuning", "training")
                .Purpose("evaluation")
                .Purpose("research");
            for (var d = 0; d < DatasetCount; d++)
            {
                builder.Dataset(datasets[d], "provider", (SensitivityLevel)(d % 4));
                var granted = s_purposes.Where(_ => random.Next(3) != 0).DefaultIfEmpty("research").ToArray();
                builder.Grant($"grant-{d:D3}", recipient, [datasets[d]], granted, [DataAction.ReadRows, DataAction.AggregateQuery], g => g with
                {
                    Jurisdictions = random.Next(3) == 0 ? [new Jurisdiction("EU")] : [],
                    FieldRules = [new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null), new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "year")],
                    RowRules = new RowRules(true, []),
                    TokenLifetime = TimeSpan.FromMinutes(15),
                    RateLimit = new RateLimit(1000, TimeSpan.FromMinutes(1)),
                    MinGroupSize = 10,
                });
            }

            builder
                .Prohibition("no-processing-in-cn-ru", jurisdictions: ["CN", "RU"])
                .Prohibition("restricted-not-for-training", purposes: ["training"], sensitivities: [SensitivityLevel.Restricted])
                .Prohibition("confidential-outside-eea", jurisdictions: ["US", "GB"], sensitivities: [SensitivityLevel.Confidential, SensitivityLevel.Restricted]);
            var agreement = builder.Build();
            agreements.Add(new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement)));
        }

        // Requests draw their ids from a pool of string copies, as a gateway hands over freshly parsed ids: the
        // index still hashes and compares every character, but the cycle is not dominated by cache misses on
        // 400,000 scattered strings.
        var recipientIds = Enumerable.Range(0, RecipientCount).Select(r => new PartyId(Copy($"recipient-{r:D2}"))).ToArray();
        var datasetIds = datasets.Select(d => new DatasetId(Copy(d))).ToArray();
        var purposeIds = s_purposes.Append("fine-tuning").Select(p => new PurposeId(Copy(p))).ToArray();
        var jurisdictionIds = s_jurisdictions.Select(j => new Jurisdiction(Copy(j))).ToArray();
        var requests = new DecisionRequest[RequestCount];
        for (var i = 0; i < requests.Length; i++)
        {
            // Invariant: each request has its own second, so no two requests are the same.
            requests[i] = new DecisionRequest(
                recipientIds[random.Next(RecipientCount)],
                (DataAction)random.Next(3),
                datasetIds[random.Next(DatasetCount)],
                purposeIds[random.Next(purposeIds.Length)],
                jurisdictionIds[random.Next(jurisdictionIds.Length)],
                null,
                s_from.AddSeconds(i));
        }

        return new ReferenceWorkload(agreements, requests);
    }

    private static string Copy(string value) => new(value.AsSpan());
}
