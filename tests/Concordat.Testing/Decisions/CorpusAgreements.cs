using Concordat.Agreements;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// The agreements decision cases name with <c>"builder"</c>: the three sample partnerships of issue 2, built in
/// code, plus variants for conflicts. Cases can name sample files instead once they exist.
/// </summary>
public static class CorpusAgreements
{
    private static readonly Dictionary<string, Func<Agreement>> s_builders = new(StringComparer.Ordinal)
    {
        ["foundation-lab"] = FoundationLab,
        ["foundation-lab-duplicate"] = () => FoundationLab() with { Id = new AgreementId("foundation-lab-duplicate") },
        ["hospital-research"] = HospitalResearch,
        ["vendor-redteam"] = VendorRedTeam,
    };

    public static IReadOnlyCollection<string> Names => s_builders.Keys;

    public static bool TryBuild(string name, out Agreement? agreement)
    {
        agreement = s_builders.TryGetValue(name, out var build) ? build() : null;
        return agreement is not null;
    }

    /// <summary>A knowledge foundation shares a community-edited corpus with an AI lab, for evaluation only.</summary>
    public static Agreement FoundationLab() => new AgreementBuilder("foundation-lab")
        .Party("foundation", "US", PartyRole.Provider, PartyRole.Controller)
        .Party("lab", "GB", PartyRole.Recipient)
        .Dataset("encyclopedia-corpus", "foundation", SensitivityLevel.Public)
        .Purpose("evaluation")
        .Purpose("benchmarking", "evaluation")
        .Purpose("training")
        .Purpose("fine-tuning", "training")
        .Grant("evaluate-corpus", "lab", ["encyclopedia-corpus"], ["evaluation"], [DataAction.ReadRows, DataAction.DownloadSnapshot], g => g with
        {
            TokenLifetime = TimeSpan.FromHours(1),
            RateLimit = new RateLimit(600, TimeSpan.FromMinutes(1)),
        })
        .Prohibition("no-training", purposes: ["training"])
        .Build();

    /// <summary>A hospital shares records with a research partner, pseudonymised, processed in the EU only.</summary>
    public static Agreement HospitalResearch() => new AgreementBuilder("hospital-research")
        .Window(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero))
        .Party("st-mary", "DE", PartyRole.Provider, PartyRole.Controller)
        .Party("research-institute", "NL", PartyRole.Recipient, PartyRole.ProcessorGdpr)
        .Dataset("patient-records", "st-mary", SensitivityLevel.Restricted)
        .Dataset("ward-statistics", "st-mary", SensitivityLevel.Internal)
        .Purpose("research")
        .Purpose("clinical-research", "research")
        .Grant("research-rows", "research-institute", ["patient-records"], ["research"], [DataAction.ReadRows], g => g with
        {
            FieldRules =
            [
                new FieldRule(new FieldName("patient_name"), FieldRuleKind.Drop, null),
                new FieldRule(new FieldName("patient_id"), FieldRuleKind.Pseudonymise, null),
                new FieldRule(new FieldName("date_of_birth"), FieldRuleKind.Generalise, "year"),
            ],
            RowRules = new RowRules(true, [new Jurisdiction("EU")]),
            Jurisdictions = [new Jurisdiction("EU")],
            TokenLifetime = TimeSpan.FromMinutes(15),
        })
        .Grant("research-aggregates", "research-institute", ["patient-records", "ward-statistics"], ["research"], [DataAction.AggregateQuery], g => g with
        {
            Jurisdictions = [new Jurisdiction("EU")],
            MinGroupSize = 10,
            PrivacyBudget = new PrivacyBudget(1.0, 1e-6, TimeSpan.FromDays(30)),
        })
        .Prohibition("no-restricted-downloads", sensitivities: [SensitivityLevel.Restricted], actions: [DataAction.DownloadSnapshot])
        .Prohibition("no-processing-outside-eea", jurisdictions: ["US", "CN", "RU"])
        .Build();

    /// <summary>A vendor lets a security firm red-team its model logs, through one named cloud subprocessor, for one quarter.</summary>
    public static Agreement VendorRedTeam() => new AgreementBuilder("vendor-redteam")
        .Party("model-vendor", "US", PartyRole.Provider)
        .Party("security-firm", "GB", PartyRole.Recipient)
        .Dataset("model-transcripts", "model-vendor", SensitivityLevel.Confidential)
        .Purpose("red-teaming")
        .Purpose("evaluation")
        .Grant("red-team-q3", "security-firm", ["model-transcripts"], ["red-teaming"], [DataAction.ReadRows], g => g with
        {
            Window = new TimeWindow(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)),
            Subprocessors = [new PartyId("secure-cloud")],
            FieldRules = [new FieldRule(new FieldName("user_email"), FieldRuleKind.Mask, "0")],
        })
        .Build();
}
