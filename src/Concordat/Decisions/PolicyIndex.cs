using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// One or more agreements compiled for lookups: deciding a request costs the same with 10 agreements or 10,000,
/// and allocates nothing.
/// </summary>
/// <remarks>
/// The semantics are written in docs/design/decisions.md: default deny; an identity's role bounds its actions
/// whatever the agreements grant; a prohibition overrides any grant; an agreement not in force, an unknown
/// recipient, dataset or purpose, or two in-force agreements covering the same recipient and dataset deny with the
/// reason; overlapping grants merge into the most restrictive obligations; an evaluation error denies with a
/// diagnostic. An index is immutable and safe to share between threads.
/// </remarks>
public sealed partial class PolicyIndex
{
    private static readonly Decision s_invalidRequest = Decision.Error(DecisionErrorCodes.IncompleteRequest.Error(
        "the request is incomplete: it needs a recipient, a known action, a dataset, a purpose, a jurisdiction and, when it names one, a known role"));

    private static readonly Decision s_noGrant = Decision.Deny([new Reason(ReasonCode.NotPermittedByAnyGrant)], []);

    private static readonly Decision s_roleNotPermitted = Decision.Deny([new Reason(ReasonCode.RoleNotPermitted)], []);

    private static readonly Decision[] s_unknown = BuildUnknownDecisions();

    private readonly Dictionary<string, int> _parties;
    private readonly Dictionary<string, int> _datasets;
    private readonly Dictionary<string, int> _purposes;
    private readonly Dictionary<string, int> _jurisdictions;
    private readonly Dictionary<string, int> _subprocessors;
    private readonly Dictionary<CellName, PolicyCell> _cells;
    private readonly CompiledAgreement[] _agreements;
    private readonly ConcurrentDictionary<OutcomeKey, Decision> _outcomes = new();

    private enum OutcomeKind : byte
    {
        Forbidden,
        Permitted,
        GrantsFailed,
    }

    /// <summary>Gets the agreements of the index, in the order they were given.</summary>
    public IReadOnlyList<AgreementReference> Agreements { get; }

    /// <summary>Gets the warnings found while compiling (<c>POL31xx</c>), such as agreements that conflict.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Decides <paramref name="request"/>.</summary>
    /// <remarks>
    /// Allocation-free: the returned decision is shared by every request with the same outcome. Never throws for
    /// bad input: an incomplete request or an internal error is a deny with a diagnostic (fail closed).
    /// </remarks>
    /// <param name="request">The request; its time is the time of the decision.</param>
    /// <returns>The decision.</returns>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Security: an evaluation error must deny with a diagnostic, never escape as a permit or a crash")]
    public Decision Decide(in DecisionRequest request)
    {
        try
        {
            return DecideCore(in request);
        }
        catch (Exception ex)
        {
            return Decision.Error(DecisionErrorCodes.EvaluationFailed.Error($"the request could not be evaluated: {ex.Message}"));
        }
    }

    private Decision DecideCore(in DecisionRequest request)
    {
        var recipient = request.Recipient.Value;
        var dataset = request.Dataset.Value;
        var purpose = request.Purpose.Value;
        var jurisdiction = request.Jurisdiction.Value;
        if (recipient is null || dataset is null || purpose is null || jurisdiction is null || (uint)request.Action > (uint)DataAction.DownloadSnapshot
            || (uint)request.Role.GetValueOrDefault() > (uint)IdentityRole.Analysis)
        {
            return s_invalidRequest;
        }

        // Security: least privilege before any agreement is read; the role check is one bit test.
        if (request.Role is { } role && !IdentityRoles.Allows(role, request.Action))
        {
            return s_roleNotPermitted;
        }

        // One lookup finds the cell by both names; the separate tables only explain a miss.
        if (!_cells.TryGetValue(new CellName(recipient, dataset), out var cell))
        {
            return Uncovered(recipient, dataset, purpose);
        }

        if (!_purposes.TryGetValue(purpose, out var p))
        {
            return s_unknown[4];
        }

        if (cell.Fixed is { } fixedDecision)
        {
            return fixedDecision;
        }

        var agreement = _agreements[cell.Agreement];
        var ticks = request.Time.UtcTicks;
        if (ticks < agreement.From || ticks >= agreement.Until)
        {
            return agreement.OutsideWindow;
        }

        var j = _jurisdictions.TryGetValue(jurisdiction, out var interned) ? interned : -1;
        var sub = CompiledGrant.NoSubprocessor;
        if (request.Subprocessor is { } subprocessor)
        {
            sub = subprocessor.Value is not null && _subprocessors.TryGetValue(subprocessor.Value, out var s) ? s : -1;
        }

        var facts = new RequestFacts(1 << (int)request.Action, p, j, sub, request.Role is { } asking ? (int)asking : -1, ticks);
        if (!cell.IsPacked)
        {
            return DecideUnpacked(cell, in facts);
        }

        var prohibitions = cell.Prohibitions;
        ulong forbidden = 0;
        for (var i = 0; i < prohibitions.Length; i++)
        {
            if (prohibitions[i].Matches(in facts))
            {
                forbidden |= 1UL << i;
            }
        }

        if (forbidden != 0)
        {
            return Outcome(cell, OutcomeKind.Forbidden, forbidden);
        }

        var grants = cell.Grants;
        ulong permitted = 0;
        ulong failed = 0;
        for (var i = 0; i < grants.Length; i++)
        {
            var state = grants[i].Evaluate(in facts);
            if (state == GrantState.Matches)
            {
                permitted |= 1UL << i;
            }
            else if (state != GrantState.NotApplicable)
            {
                failed |= (ulong)state << (3 * i);
            }
        }

        if (permitted != 0)
        {
            return (permitted & (permitted - 1)) == 0
                ? grants[BitOperations.TrailingZeroCount(permitted)].Permit ?? SinglePermit(grants[BitOperations.TrailingZeroCount(permitted)])
                : Outcome(cell, OutcomeKind.Permitted, permitted);
        }

        return failed != 0 ? Outcome(cell, OutcomeKind.GrantsFailed, failed) : agreement.NotPermitted;
    }

    private Decision SinglePermit(CompiledGrant grant)
    {
        var reference = _agreements[grant.Agreement].Reference;
        var decision = new Decision(Effect.Permit, [new Reason(ReasonCode.PermittedByGrant, reference.Id, grant.Source.Id)], ObligationsMerger.Merge([grant.Source]), [reference], [], Attributes([grant.Attributes]));

        // Invariant: racing threads build equal decisions; the first stored is the one every later request shares.
        return Interlocked.CompareExchange(ref grant._permit, decision, null) ?? decision;
    }

    private static long CellKey(int recipient, int dataset) => ((long)recipient << 32) | (uint)dataset;

    private Decision Uncovered(string recipient, string dataset, string purpose)
    {
        var unknown = (_parties.ContainsKey(recipient) ? 0 : 1) | (_datasets.ContainsKey(dataset) ? 0 : 2) | (_purposes.ContainsKey(purpose) ? 0 : 4);
        return unknown != 0 ? s_unknown[unknown] : s_noGrant;
    }

    private Decision Outcome(PolicyCell cell, OutcomeKind kind, ulong mask)
    {
        var key = new OutcomeKey(cell.Index, kind, mask);
        return _outcomes.TryGetValue(key, out var decision)
            ? decision
            : _outcomes.GetOrAdd(key, static (k, state) => state.Index.BuildOutcome(state.Cell, k.Kind, k.Mask), (Index: this, Cell: cell));
    }

    private Decision BuildOutcome(PolicyCell cell, OutcomeKind kind, ulong mask) => kind switch
    {
        OutcomeKind.Forbidden => BuildForbidden(cell, Enumerable.Range(0, cell.Prohibitions.Length).Where(i => (mask & (1UL << i)) != 0)),
        OutcomeKind.Permitted => BuildPermit(cell, Enumerable.Range(0, cell.Grants.Length).Where(i => (mask & (1UL << i)) != 0)),
        _ => BuildFailed(cell, Enumerable.Range(0, cell.Grants.Length).Select(i => (i, (GrantState)((mask >> (3 * i)) & 7))).Where(x => x.Item2 != GrantState.NotApplicable)),
    };

    // Invariant: the same answer as the packed path, built without the outcome cache for cells too large to pack.
    private Decision DecideUnpacked(PolicyCell cell, in RequestFacts facts)
    {
        var copy = facts;
        var forbidden = Enumerable.Range(0, cell.Prohibitions.Length).Where(i => cell.Prohibitions[i].Matches(in copy)).ToList();
        if (forbidden.Count > 0)
        {
            return BuildForbidden(cell, forbidden);
        }

        var states = cell.Grants.Select((g, i) => (i, g.Evaluate(in copy))).ToList();
        var permitted = states.Where(x => x.Item2 == GrantState.Matches).Select(x => x.i).ToList();
        if (permitted.Count > 0)
        {
            return BuildPermit(cell, permitted);
        }

        var failed = states.Where(x => x.Item2 != GrantState.NotApplicable).ToList();
        return failed.Count > 0 ? BuildFailed(cell, failed) : _agreements[cell.Agreement].NotPermitted;
    }

    private Decision BuildForbidden(PolicyCell cell, IEnumerable<int> prohibitions)
    {
        var forbidding = prohibitions.Select(i => cell.Prohibitions[i]).ToList();
        var reasons = forbidding.Select(q => new Reason(ReasonCode.ForbiddenByClause, _agreements[q.Agreement].Reference.Id, q.Id)).ToList();
        var agreements = new List<int> { cell.Agreement };
        agreements.AddRange(forbidding.Select(q => q.Agreement));
        return Decision.Deny(reasons, References(agreements), Attributes(forbidding.Select(q => q.Attributes)));
    }

    private Decision BuildPermit(PolicyCell cell, IEnumerable<int> grants)
    {
        var matching = grants.Select(i => cell.Grants[i]).ToList();
        var id = _agreements[cell.Agreement].Reference.Id;
        var reasons = matching.Select(g => new Reason(ReasonCode.PermittedByGrant, id, g.Source.Id)).ToList();
        return new Decision(Effect.Permit, reasons, ObligationsMerger.Merge(matching.Select(g => g.Source)), References([cell.Agreement]), [], Attributes(matching.Select(g => g.Attributes)));
    }

    private Decision BuildFailed(PolicyCell cell, IEnumerable<(int Grant, GrantState State)> failures)
    {
        var id = _agreements[cell.Agreement].Reference.Id;
        var failing = failures.ToList();
        var reasons = failing.Select(f => new Reason(
            f.State switch
            {
                GrantState.OutsideWindow => ReasonCode.OutsideWindow,
                GrantState.JurisdictionNotPermitted => ReasonCode.JurisdictionNotPermitted,
                GrantState.ConditionNotMet => ReasonCode.ConditionNotMet,
                _ => ReasonCode.SubprocessorNotPermitted,
            },
            id,
            cell.Grants[f.Grant].Source.Id)).ToList();
        return Decision.Deny(reasons, References([cell.Agreement]), Attributes(failing.Where(f => f.State == GrantState.ConditionNotMet).Select(f => cell.Grants[f.Grant].Attributes)));
    }

    // Invariant: one entry per attribute, ordered by name, so equal outcomes have equal lists whatever the clause order.
    private static AttributeValue[] Attributes(IEnumerable<AttributeValue[]> read) =>
        [.. read.SelectMany(a => a).DistinctBy(a => a.Attribute).OrderBy(a => a.Attribute, StringComparer.Ordinal)];

    private AgreementReference[] References(IEnumerable<int> agreements) => [.. agreements.Distinct().Select(a => _agreements[a].Reference)];

    private static Decision[] BuildUnknownDecisions()
    {
        var decisions = new Decision[8];
        for (var mask = 1; mask < 8; mask++)
        {
            var reasons = new List<Reason>();
            if ((mask & 1) != 0)
            {
                reasons.Add(new Reason(ReasonCode.UnknownRecipient));
            }

            if ((mask & 2) != 0)
            {
                reasons.Add(new Reason(ReasonCode.UnknownDataset));
            }

            if ((mask & 4) != 0)
            {
                reasons.Add(new Reason(ReasonCode.UnknownPurpose));
            }

            decisions[mask] = Decision.Deny(reasons, []);
        }

        return decisions;
    }

    private readonly record struct OutcomeKey(int Cell, OutcomeKind Kind, ulong Mask);

    private readonly record struct CellName(string Recipient, string Dataset);

    private sealed class CellNameComparer : IEqualityComparer<CellName>
    {
        public static CellNameComparer Instance { get; } = new();

        public bool Equals(CellName x, CellName y) => string.Equals(x.Recipient, y.Recipient, StringComparison.Ordinal) && string.Equals(x.Dataset, y.Dataset, StringComparison.Ordinal);

        public int GetHashCode(CellName obj) => HashCode.Combine(string.GetHashCode(obj.Recipient, StringComparison.Ordinal), string.GetHashCode(obj.Dataset, StringComparison.Ordinal));
    }
}
