using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Licences;

namespace Concordat.Attestations;

/// <summary>
/// Checks a model registration's every input before anything is recorded, and builds the model's statement
/// (predicate <see cref="AttestationPredicateTypes.Model"/>) so that models trained from models chain.
/// </summary>
public static class ModelRegistrar
{
    /// <summary>Gets the licence check that passes every input (for callers that check licences elsewhere); <see cref="ModelLicenceCheck"/> is the SPDX one.</summary>
    public static IModelLicenceCheck NoLicenceCheck { get; } = new PassLicences();

    /// <summary>Checks every input: its kind, the agreement it names, the purpose, the agreement's window and retention, the licence.</summary>
    /// <param name="registration">The registration.</param>
    /// <param name="licences">The licence check: a <see cref="ModelLicenceCheck"/>, or <see cref="NoLicenceCheck"/>.</param>
    /// <returns>Every problem, each naming the input and the clause; empty when the model may be registered.</returns>
    public static IReadOnlyList<Diagnostic> Check(ModelRegistration registration, IModelLicenceCheck licences)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(licences);
        var problems = new List<Diagnostic>();
        foreach (var input in registration.Inputs)
        {
            var predicate = input.Statement.Predicate;
            switch (input.Statement.PredicateType)
            {
                case AttestationPredicateTypes.Egress:
                    CheckEgress(registration, input, predicate, problems);
                    problems.AddRange(licences.Check(registration, input, null));
                    break;
                case AttestationPredicateTypes.DatasetVersion:
                    problems.AddRange(licences.Check(registration, input, JsonMembers.Text(predicate["tags"]?["licence"])));
                    break;
                case AttestationPredicateTypes.Model:
                    problems.AddRange(licences.Check(registration, input, JsonMembers.Text(predicate["licence"])));
                    break;
                default:
                    problems.Add(AttestationErrorCodes.InputNotUsable.Error($"input `{input.Reference}` is a `{input.Statement.PredicateType}` attestation, not an egress, dataset version or model"));
                    break;
            }
        }

        return problems;
    }

    /// <summary>
    /// Checks a registration whole — every input (<see cref="Check"/>) with the SPDX licence check, and the IP
    /// (<see cref="ClassifyIp"/>) — and builds its statement when nothing refuses it; the CLI and the gateway both
    /// register through this.
    /// </summary>
    /// <param name="registration">The registration.</param>
    /// <param name="use">What the model is for; <see langword="null"/> for the use its purpose implies (<see cref="ModelLicenceCheck.UseOf"/>).</param>
    /// <param name="category">Where the model's IP comes from.</param>
    /// <param name="externalOwner">For third-party IP, who owns it outside the agreements.</param>
    /// <returns>The problems (each once, inputs first, then IP) and, when none is an error, the statement to sign.</returns>
    public static ModelEvaluation Evaluate(ModelRegistration registration, ModelUse? use, IpCategory category, string? externalOwner)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var licences = new ModelLicenceCheck(use ?? ModelLicenceCheck.UseOf(registration.Purpose, registration.Agreements.Select(a => a.Agreement)));
        var ip = ClassifyIp(registration, category, externalOwner);
        var problems = Check(registration, licences).Concat(ip.Findings).Distinct().ToList();
        return new ModelEvaluation(problems, licences, ip, problems.Any(p => p.IsError) ? null : CreateStatement(registration, licences, ip));
    }

    /// <summary>Builds the model's statement: the checkpoints as subjects; configuration, inputs, trainer, purpose, agreements, licence.</summary>
    /// <param name="registration">A registration <see cref="Check"/> found no problem with.</param>
    /// <returns>The statement, ready to sign.</returns>
    public static InTotoStatement CreateStatement(ModelRegistration registration) => CreateStatement(registration, null);

    /// <summary>Builds the model's statement with the use its licences were checked for and the credits it MUST carry.</summary>
    /// <param name="registration">A registration <see cref="Check"/> found no problem with.</param>
    /// <param name="licences">The licence check <see cref="Check"/> ran, whose use and attributions the statement records; <see langword="null"/> for none.</param>
    /// <returns>The statement, ready to sign.</returns>
    public static InTotoStatement CreateStatement(ModelRegistration registration, ModelLicenceCheck? licences) => CreateStatement(registration, licences, null);

    /// <summary>Classifies the model's IP under every agreement given, as their <c>intellectualProperty</c> terms say.</summary>
    /// <param name="registration">The registration: its trainer is the party that brought (background) or created (foreground) the model.</param>
    /// <param name="category">Where the model's IP comes from.</param>
    /// <param name="externalOwner">For third-party IP, who owns it outside the agreements.</param>
    /// <returns>The owners per agreement and in all, and the findings; an error among them MUST refuse the registration.</returns>
    /// <remarks>
    /// Background IP stays with the trainer; foreground IP follows each agreement's <c>foreground</c> terms (joint,
    /// discoverer, a named party), so the model's owners are every owner some agreement gives; third-party IP has its
    /// external owner, and the model's licence is checked against each agreement's <c>thirdPartyLicences</c>. With no
    /// agreement given, background and foreground IP stay with the trainer.
    /// </remarks>
    public static ModelIp ClassifyIp(ModelRegistration registration, IpCategory category, string? externalOwner)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return ArtifactIp.Classify([.. registration.Agreements.Select(a => a.Agreement)], registration.Model, ArtifactKind.Model, category, registration.Trainer, externalOwner, registration.Licence);
    }

    /// <summary>Builds the model's statement with its licences' use and credits and its IP owners.</summary>
    /// <param name="registration">A registration <see cref="Check"/> found no problem with.</param>
    /// <param name="licences">The licence check <see cref="Check"/> ran, whose use and attributions the statement records; <see langword="null"/> for none.</param>
    /// <param name="ip">The IP classification <see cref="ClassifyIp"/> made without errors; <see langword="null"/> for none.</param>
    /// <returns>The statement, ready to sign.</returns>
    public static InTotoStatement CreateStatement(ModelRegistration registration, ModelLicenceCheck? licences, ModelIp? ip)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var predicate = new JsonObject
        {
            ["model"] = registration.Model,
            ["trainingConfig"] = registration.TrainingConfig.ToString(),
            ["trainer"] = registration.Trainer,
            ["purpose"] = registration.Purpose.Value,
            ["licence"] = registration.Licence,
            ["registeredAt"] = Rfc3339.Format(registration.At),
            ["agreements"] = new JsonArray([.. registration.Agreements
                .Select(a => (JsonNode)new JsonObject { ["id"] = a.Agreement.Id.Value, ["version"] = a.Agreement.Version, ["digest"] = a.Digest.ToString() })]),
            ["inputs"] = new JsonArray([.. registration.Inputs.Select(InputJson)]),
        };
        if (registration.Version is { } version)
        {
            predicate["version"] = version;
        }

        // Written only when given, so statements of models registered without limitations keep their bytes.
        if (registration.Limitations.Count > 0)
        {
            predicate["limitations"] = new JsonArray([.. registration.Limitations.Select(l => (JsonNode)l)]);
        }

        if (licences is not null)
        {
            predicate["use"] = Licences.LicenceCompatibility.NameOf(licences.Use);
            predicate["attributions"] = new JsonArray([.. licences.Attributions
                .Select(a => (JsonNode)new JsonObject { ["input"] = a.Input, ["source"] = a.Source, ["text"] = a.Text })]);
        }

        if (ip is not null)
        {
            predicate["ip"] = ArtifactIp.ToJson(ip);
        }

        return new InTotoStatement(registration.Checkpoints, AttestationPredicateTypes.Model, predicate);
    }

    // An egress's subject names the bytes, not the data; its dataset and version are written beside it, so a model card
    // can list what the model was trained on. Only for egress inputs, so other statements keep their bytes.
    private static JsonNode InputJson(ModelInput input)
    {
        var json = new JsonObject
        {
            ["predicateType"] = input.Statement.PredicateType,
            ["subjects"] = new JsonArray([.. input.Statement.Subjects.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["sha256"] = s.Sha256?.ToString() })]),
        };
        if (input.Statement.PredicateType == AttestationPredicateTypes.Egress && JsonMembers.Text(input.Statement.Predicate["dataset"]) is { } dataset)
        {
            json["dataset"] = dataset;
            json["datasetVersion"] = input.Statement.Predicate["datasetVersion"]?.DeepClone();
        }

        return json;
    }

    private static void CheckEgress(ModelRegistration registration, ModelInput input, JsonObject predicate, List<Diagnostic> problems)
    {
        var digestText = JsonMembers.Text(predicate["agreementDigest"]);
        var found = registration.Agreements.FirstOrDefault(a => a.Digest.ToString() == digestText);
        if (found.Agreement is not { } agreement)
        {
            problems.Add(AttestationErrorCodes.InputNotUsable.Error($"input `{input.Reference}` was obtained under agreement `{digestText}`, which is not among the agreements given"));
            return;
        }

        var purpose = new PurposeId(JsonMembers.Text(predicate["purpose"]) ?? string.Empty);
        if (!Covers(agreement, purpose, registration.Purpose))
        {
            var recipient = JsonMembers.Text(predicate["recipient"]);
            problems.Add(AttestationErrorCodes.PurposeNotTraining.Error(
                $"input `{input.Reference}` was obtained for purpose `{purpose}` under agreement `{agreement.Id.Value}` ({GrantClauses(agreement, recipient, purpose)}), which does not cover `{registration.Purpose}`{Forbidding(agreement, recipient, registration.Purpose)}"));
        }

        if (!agreement.Effective.Contains(registration.At))
        {
            problems.Add(AttestationErrorCodes.OutsideAgreementWindow.Error($"input `{input.Reference}`: agreement `{agreement.Id.Value}` (`effective`) is not in force at {Rfc3339.Format(registration.At)}"));
        }

        if (agreement.Retention is { } retention && Rfc3339.TryParseUtc(JsonMembers.Text(predicate["at"]), out var egressAt, out _)
            && registration.At > egressAt.AddDays(retention.DaysAfterEgress))
        {
            problems.Add(AttestationErrorCodes.RetentionExpired.Error(
                $"input `{input.Reference}` left at {Rfc3339.Format(egressAt)}; agreement `{agreement.Id.Value}` (`retention.daysAfterEgress: {retention.DaysAfterEgress}`) required its deletion by {Rfc3339.Format(egressAt.AddDays(retention.DaysAfterEgress))}"));
        }
    }

    // The clauses a refusal names: the grants that gave the recipient data for the purpose the input was obtained
    // for; the agreement's `purposes` when no grant names it (an egress attested under an older version).
    private static string GrantClauses(Agreement agreement, string? recipient, PurposeId purpose)
    {
        var grants = agreement.Grants.Where(g => g.Recipient.Value == recipient && g.Purposes.Contains(purpose)).Select(g => $"`{g.Id.Value}`").ToList();
        return grants.Count == 0 ? "`purposes`" : $"clause{(grants.Count == 1 ? string.Empty : "s")} {string.Join(", ", grants)}";
    }

    // The prohibitions of the recipient that forbid the model's purpose (or a broader one, which forbids it too).
    private static string Forbidding(Agreement agreement, string? recipient, PurposeId wanted)
    {
        var clauses = agreement.Prohibitions
            .Where(p => (p.Recipients.Count == 0 || p.Recipients.Any(r => r.Value == recipient)) && p.Purposes.Any(forbidden => Covers(agreement, forbidden, wanted)))
            .Select(p => $"`{p.Id.Value}`")
            .ToList();
        return clauses.Count == 0 ? string.Empty : $"; clause{(clauses.Count == 1 ? string.Empty : "s")} {string.Join(", ", clauses)} forbid{(clauses.Count == 1 ? "s" : string.Empty)} `{wanted}` to `{recipient}`";
    }

    // Invariant: a grant for a purpose covers it and every narrower purpose (`broader` chains), never a broader or sibling one.
    private static bool Covers(Agreement agreement, PurposeId granted, PurposeId wanted)
    {
        var broader = agreement.Purposes.ToDictionary(p => p.Id, p => p.Broader);
        var seen = new HashSet<PurposeId>();
        for (PurposeId? current = wanted; current is { } id && seen.Add(id); current = broader.GetValueOrDefault(id))
        {
            if (id == granted)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class PassLicences : IModelLicenceCheck
    {
        public IReadOnlyList<Diagnostic> Check(ModelRegistration registration, ModelInput input, string? inputLicence) => [];
    }
}
