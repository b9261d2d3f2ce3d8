using System.Globalization;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// The semantic difference between two versions of one agreement: the changes clause by clause, and the verdict of the
/// decision engine on whether the new version grants more.
/// </summary>
/// <param name="Changes">Every change, grants first, then prohibitions, then the agreement's other terms.</param>
/// <param name="GrantsMore">Whether some request is permitted by the new version and denied by the old, or permitted by both with weaker obligations under the new (for an aggregate query, a wider aggregate scope counts as weaker).</param>
/// <param name="Widening">A request that shows <paramref name="GrantsMore"/>, when it holds.</param>
/// <param name="Narrowing">A request the old version permits and the new one denies (or permits with stricter obligations), when any.</param>
/// <param name="RequestsCompared">How many requests both versions decided (one of each class of requests the versions tell apart; fewer when a witness each way was found early).</param>
// CAUTION: persisted/public format (`agreement diff --json`); see docs/cli.md
public sealed record AgreementDiff(IReadOnlyList<AgreementChange> Changes, bool GrantsMore, DiffWitness? Widening, DiffWitness? Narrowing, long RequestsCompared)
{
    /// <summary>Gets whether any change is classed widening, or the verdict says the new version grants more.</summary>
    public bool Widens => GrantsMore || Changes.Any(c => c.Class == ChangeClass.Widening);

    /// <summary>Gets the engine's verdict in a sentence, with the request that shows it; loud when the amendment grants more.</summary>
    public string Verdict
    {
        get
        {
            var compared = $"({RequestsCompared.ToString("N0", CultureInfo.InvariantCulture)} requests decided by both versions)";
            if (Widening is { } widening)
            {
                var what = widening.ObligationsOnly ? "permits with weaker obligations" : "permits";
                return $"WIDENING: the new version grants more {compared}: it {what} {Describe(widening.Request)}, which the old version {(widening.ObligationsOnly ? "permits with stricter obligations" : "denies")}; every party must agree to this before signing";
            }

            var narrowing = Narrowing is { } n ? $"; it no longer permits {Describe(n.Request)} as before" : string.Empty;
            return $"the new version grants nothing the old one does not {compared}{narrowing}";
        }
    }

    private static string Describe(DecisionRequest request) =>
        $"`{request.Recipient}` to {DecisionNames.ToName(request.Action)} `{request.Dataset}` for `{request.Purpose}` in {request.Jurisdiction}{(request.Subprocessor is { } s ? $" via `{s}`" : string.Empty)}{(request.Role is { } r ? $" as a {DecisionNames.ToName(r)} identity" : string.Empty)} at {Rfc3339.Format(request.Time)}";
}
