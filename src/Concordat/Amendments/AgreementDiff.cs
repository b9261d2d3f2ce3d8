namespace Concordat.Amendments;

/// <summary>
/// The semantic difference between two versions of one agreement: the changes clause by clause, and the verdict of the
/// decision engine on whether the new version grants more.
/// </summary>
/// <param name="Changes">Every change, grants first, then prohibitions, then the agreement's other terms.</param>
/// <param name="GrantsMore">Whether some request is permitted by the new version and denied by the old, or permitted by both with weaker obligations under the new.</param>
/// <param name="Widening">A request that shows <paramref name="GrantsMore"/>, when it holds.</param>
/// <param name="Narrowing">A request the old version permits and the new one denies (or permits with stricter obligations), when any.</param>
/// <param name="RequestsCompared">How many requests both versions decided (one of each class of requests the versions tell apart; fewer when a witness each way was found early).</param>
// CAUTION: persisted/public format (`agreement diff --json`); see docs/cli.md
public sealed record AgreementDiff(IReadOnlyList<AgreementChange> Changes, bool GrantsMore, DiffWitness? Widening, DiffWitness? Narrowing, long RequestsCompared)
{
    /// <summary>Gets whether any change is classed widening, or the verdict says the new version grants more.</summary>
    public bool Widens => GrantsMore || Changes.Any(c => c.Class == ChangeClass.Widening);
}
