using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Compliance;

/// <summary>
/// Checks an agreement version against the checklists that apply to it: each item by the registered artifacts (and the
/// artifacts the agreement itself declares by digest), or by the facts of the log.
/// </summary>
public static class ComplianceChecker
{
    /// <summary>Checks <paramref name="agreement"/>.</summary>
    /// <param name="agreement">The agreement version.</param>
    /// <param name="checklists">The checklists to choose from, such as <see cref="ComplianceChecklists.BuiltIn"/>; those that apply are checked.</param>
    /// <param name="artifacts">The registered artifacts whose attestations verified; those of other agreements are ignored.</param>
    /// <param name="log">What the caller found in the log.</param>
    /// <param name="at">The instant of the check.</param>
    /// <returns>The report.</returns>
    /// <remarks>
    /// An item naming artifact kinds is satisfied by the latest registered artifact of one of those kinds in force at
    /// <paramref name="at"/>; failing that, by an artifact of such a kind the agreement lists in <c>artifacts</c> (signed
    /// with the agreement, so it never expires); failing that, it is expired when a registered one was in force before,
    /// and missing otherwise. An item naming log evidence is satisfied by the fact.
    /// </remarks>
    public static ComplianceReport Check(Agreement agreement, IEnumerable<ComplianceChecklist> checklists, IEnumerable<ComplianceArtifact> artifacts, ComplianceLogFacts log, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(log);
        var own = artifacts.Where(a => a.Agreement == agreement.Id).OrderByDescending(a => a.RegisteredAt).ToList();
        var regimes = ComplianceChecklists.Applicable(agreement, checklists)
            .Select(c => new ComplianceRegimeResult(c, [.. c.Items.Select(item => CheckItem(agreement, item, own, log, at))]))
            .ToList();
        return new ComplianceReport(agreement.Id, agreement.Version, AgreementDigest.Compute(agreement), agreement.Compliance, at, log, regimes);
    }

    private static ComplianceItemResult CheckItem(Agreement agreement, ComplianceItem item, List<ComplianceArtifact> own, ComplianceLogFacts log, DateTimeOffset at)
    {
        if (item.Evidence is { } evidence)
        {
            var (status, detail) = CheckLog(agreement, evidence, log);
            if (status == ComplianceStatus.Satisfied || item.Artifacts.Count == 0)
            {
                return new ComplianceItemResult(item, status, null, false, detail);
            }
        }

        var kinds = item.Artifacts.ToHashSet(StringComparer.Ordinal);
        var matching = own.Where(a => kinds.Contains(a.Kind)).ToList();
        if (matching.FirstOrDefault(a => a.IsInForceAt(at)) is { } inForce)
        {
            var until = inForce.ExpiresAt is { } expires ? $", until {Rfc3339.Format(expires)}" : string.Empty;
            return new ComplianceItemResult(item, ComplianceStatus.Satisfied, inForce, false, $"{inForce.Kind} `{inForce.Name}` registered {Rfc3339.Format(inForce.RegisteredAt)}{until}");
        }

        if (agreement.Artifacts.FirstOrDefault(a => kinds.Contains(a.Kind)) is { } declared)
        {
            var artifact = new ComplianceArtifact(declared.Kind, agreement.Id, declared.Name ?? declared.Kind, declared.Digest, at, null, null);
            return new ComplianceItemResult(item, ComplianceStatus.Satisfied, artifact, true, $"{declared.Kind} declared in the agreement's `artifacts`");
        }

        if (matching.FirstOrDefault(a => a.RegisteredAt <= at) is { } expired)
        {
            return new ComplianceItemResult(item, ComplianceStatus.Expired, expired, false, $"{expired.Kind} `{expired.Name}` expired {Rfc3339.Format(expired.ExpiresAt!.Value)}");
        }

        return new ComplianceItemResult(item, ComplianceStatus.Missing, null, false, $"no artifact of kind {string.Join(", ", item.Artifacts.Select(k => $"`{k}`"))} is registered");
    }

    private static (ComplianceStatus Status, string Detail) CheckLog(Agreement agreement, LogEvidence evidence, ComplianceLogFacts log) => evidence switch
    {
        LogEvidence.LogVerifies => log.IsLogVerified
            ? (ComplianceStatus.Satisfied, $"the log verifies: {log.TreeSize} entries")
            : (log.TreeSize == 0 && log.Problem == ComplianceLogFacts.NoLog.Problem ? ComplianceStatus.Missing : ComplianceStatus.Failed, log.Problem ?? "the log does not verify"),
        LogEvidence.CheckpointSigned => log.IsCheckpointSigned && log.IsLogVerified
            ? (ComplianceStatus.Satisfied, $"the latest checkpoint (size {log.TreeSize}) is signed by the log key")
            : (ComplianceStatus.Missing, log.IsLogVerified ? "the log has no signed checkpoint: sign one with `concordat log checkpoint`" : log.Problem ?? "the log does not verify"),
        LogEvidence.CheckpointCosigned => log.Cosignatures > 0
            ? (ComplianceStatus.Satisfied, $"the latest checkpoint carries {log.Cosignatures} verified cosignature(s)")
            : (ComplianceStatus.Missing, "no verified witness cosignature on the latest checkpoint"),
        _ => CheckConsent(agreement),
    };

    // Invariant: the gateway applies every grant's row rules to every row it sends (docs/design/decisions.md), so
    // consent is enforced per row exactly where the signed grants require it; what is checked here is that every grant
    // that lets rows of a dataset carrying a consent basis leave does require it.
    private static (ComplianceStatus Status, string Detail) CheckConsent(Agreement agreement)
    {
        var consented = agreement.Datasets.Where(d => d.ConsentField is not null).Select(d => d.Id).ToHashSet();
        if (consented.Count == 0)
        {
            return (ComplianceStatus.NotApplicable, "no dataset of the agreement carries a consent basis (`consentField`)");
        }

        // Aggregate queries release no row, so only grants that let rows leave are held to consent per row.
        var grants = agreement.Grants.Where(g => g.Datasets.Any(consented.Contains) && g.Actions.Any(a => a != DataAction.AggregateQuery)).ToList();
        var lax = grants.Where(g => g.RowRules is not { RequireConsent: true }).Select(g => $"`{g.Id.Value}`").ToList();
        return lax.Count == 0
            ? (ComplianceStatus.Satisfied, $"{grants.Count} grant(s) releasing rows of datasets with a consent basis require consent per row")
            : (ComplianceStatus.Missing, $"grant(s) {string.Join(", ", lax)} release rows of a dataset with a consent basis without `rowRules.requireConsent`");
    }
}
