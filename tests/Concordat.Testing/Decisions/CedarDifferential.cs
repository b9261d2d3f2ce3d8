using System.Text;
using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// Decides random attribute agreements with the compiled index and with Cedar, and compares every decision and the set
/// of determining clauses, modulo the rules where the two differ by design (docs/design/decisions.md#checked-against-cedar):
/// <list type="bullet">
/// <item>Concordat stops at the first rule that applies: a role that does not allow the action, an unknown id, a
/// recipient and dataset no agreement covers, a time outside the agreement's window each deny naming no clause,
/// before prohibitions are read. Cedar evaluates every policy: it must deny too (the role policy among its reasons
/// when the role decided), and its determining policies are not compared.</item>
/// <item>Otherwise the determining clauses are the permitting grants of a permit and the forbidding prohibitions of a
/// deny: Cedar names no policy for a default deny, so Concordat's diagnosis of the grants that applied and failed
/// (<c>outside-window</c>, <c>jurisdiction-not-permitted</c>, <c>subprocessor-not-permitted</c>,
/// <c>condition-not-met</c>) is not compared; nor are obligations and attributes, which Cedar does not have.</item>
/// <item>Cedar must report no evaluation error: the translation guards every attribute it reads.</item>
/// </list>
/// </summary>
public static class CedarDifferential
{
    /// <summary>Compares <paramref name="agreementCount"/> agreements of <paramref name="requestsPerAgreement"/> requests each, all drawn from <paramref name="seed"/>.</summary>
    /// <returns>What was compared, and a description of each difference (with its agreement's seed, the agreement, its Cedar text and the request), at most <paramref name="maxReported"/>.</returns>
    public static CedarDifferentialResult Run(int seed, int agreementCount, int requestsPerAgreement, TimeSpan timeout, int maxReported = 3)
    {
        var seeds = new Random(seed);
        var cases = new List<(int Seed, Agreement Agreement, PolicyIndex Index, CedarTranslation Translation, DecisionRequest[] Requests)>();
        for (var a = 0; a < agreementCount; a++)
        {
            var agreementSeed = seeds.Next();
            var generator = new RandomAttributeAgreements(new Random(agreementSeed));
            var agreement = generator.Agreement($"agreement-{a}");
            var index = PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement))]);
            var requests = Enumerable.Range(0, requestsPerAgreement).Select(_ => generator.Request()).ToArray();
            cases.Add((agreementSeed, agreement, index, CedarTranslation.Of(agreement), requests));
        }

        var cedar = CedarPeer.Decide([.. cases.Select(c => (c.Translation, (IReadOnlyList<DecisionRequest>)c.Requests))], timeout);
        var differences = new List<string>();
        var (next, permits, forbidden, early) = (0, 0, 0, 0);
        foreach (var (agreementSeed, agreement, index, translation, requests) in cases)
        {
            foreach (var request in requests)
            {
                var decision = index.Decide(request);
                permits += decision.IsPermit ? 1 : 0;
                forbidden += decision.Reasons.Any(r => r.Code == ReasonCode.ForbiddenByClause) ? 1 : 0;
                early += decision.Reasons.Any(IsBeforeClauses) ? 1 : 0;
                if (Difference(decision, cedar.Decisions[next++]) is { } difference && differences.Count < maxReported)
                {
                    differences.Add(Describe(seed, agreementSeed, agreement, translation, request, difference));
                }
            }
        }

        return new CedarDifferentialResult(next, permits, forbidden, early, cedar.ParseMilliseconds, cedar.DecideMilliseconds, differences);
    }

    /// <summary>Compares one Concordat decision with Cedar's, modulo the rules above; null when they agree.</summary>
    public static string? Difference(Decision concordat, CedarDecision cedar)
    {
        var early = concordat.Reasons.FirstOrDefault(IsBeforeClauses);
        if (early is not null)
        {
            if (cedar.IsAllow)
            {
                return $"Concordat denies first with `{early.Code}`, Cedar allows with [{string.Join(", ", cedar.Reasons)}]";
            }

            return early.Code == ReasonCode.RoleNotPermitted && !cedar.Reasons.Contains(CedarTranslation.RolePolicyId)
                ? $"the role denies, Cedar's reasons [{string.Join(", ", cedar.Reasons)}] do not name `{CedarTranslation.RolePolicyId}`"
                : null;
        }

        if (cedar.Errors.Count > 0)
        {
            return $"Cedar errors: {string.Join("; ", cedar.Errors)}";
        }

        if (concordat.IsPermit != cedar.IsAllow)
        {
            return $"Concordat {concordat.Effect} [{string.Join("; ", concordat.Reasons)}], Cedar {(cedar.IsAllow ? "allow" : "deny")} [{string.Join(", ", cedar.Reasons)}]";
        }

        var determining = concordat.Reasons.Where(r => r.Code is ReasonCode.PermittedByGrant or ReasonCode.ForbiddenByClause).Select(r => r.Clause!.Value.Value).ToHashSet(StringComparer.Ordinal);
        return determining.SetEquals(cedar.Reasons)
            ? null
            : $"determining clauses: Concordat [{string.Join(", ", determining.Order(StringComparer.Ordinal))}], Cedar [{string.Join(", ", cedar.Reasons.Order(StringComparer.Ordinal))}]";
    }

    private static bool IsBeforeClauses(Reason reason) => reason.Code switch
    {
        ReasonCode.RoleNotPermitted or ReasonCode.UnknownRecipient or ReasonCode.UnknownDataset or ReasonCode.UnknownPurpose
            or ReasonCode.AgreementNotInForce or ReasonCode.ConflictingAgreements or ReasonCode.EvaluationError => true,
        ReasonCode.OutsideWindow => reason.Clause is null,
        ReasonCode.NotPermittedByAnyGrant => reason.Agreement is null,
        _ => false,
    };

    private static string Describe(int seed, int agreementSeed, Agreement agreement, CedarTranslation translation, DecisionRequest request, string difference)
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {seed}, agreement seed {agreementSeed} (new RandomAttributeAgreements(new Random({agreementSeed}))): {difference}");
        text.AppendLine($"request: {request}");
        text.AppendLine($"agreement: {Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(agreement))}");
        text.AppendLine($"cedar request: {translation.Request(request).ToJsonString()}");
        text.AppendLine("cedar policies:");
        text.AppendLine(translation.Text);
        return text.ToString();
    }
}
