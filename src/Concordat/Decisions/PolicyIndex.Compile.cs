using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>Compiling agreements into an index.</summary>
public sealed partial class PolicyIndex
{
    private const int AllActions = 0b111;

    private PolicyIndex(Compilation compilation)
    {
        _parties = compilation.Parties;
        _datasets = compilation.Datasets;
        _purposes = compilation.Purposes;
        _jurisdictions = compilation.Jurisdictions;
        _subprocessors = compilation.Subprocessors;
        _agreements = compilation.Agreements;
        var parties = compilation.PartyNames;
        var datasets = compilation.DatasetNames;
        _cells = compilation.Cells.ToDictionary(x => new CellName(parties[(int)(x.Key >> 32)], datasets[(int)(uint)x.Key]), x => x.Value, CellNameComparer.Instance);
        Agreements = [.. _agreements.Select(a => a.Reference)];
        Diagnostics = compilation.Diagnostics;
    }

    /// <summary>Compiles <paramref name="agreements"/> into an index.</summary>
    /// <remarks>
    /// The agreements SHOULD have passed validation; compiling never fails on them, but clauses that name
    /// undefined parties, datasets or purposes can never match. Ids are interned to integers and every
    /// recipient-and-dataset pair that a grant names becomes one cell holding its candidate clauses.
    /// </remarks>
    /// <param name="agreements">The agreements, each with its digest and whether it is in force.</param>
    /// <returns>The index.</returns>
    public static PolicyIndex Compile(IEnumerable<PolicyAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        return new PolicyIndex(new Compilation([.. agreements]));
    }

    /// <summary>Tells whether a prohibition can be decided per request (docs/design/decisions.md, "Prohibitions").</summary>
    /// <param name="prohibition">The prohibition.</param>
    /// <returns><see langword="false"/> for a conduct rule only (re-identification, joins) that names no purpose, jurisdiction, sensitivity or action.</returns>
    internal static bool IsDecidable(Prohibition prohibition) =>
        prohibition.Purposes.Count > 0 || prohibition.Jurisdictions.Count > 0 || prohibition.Sensitivities.Count > 0 || prohibition.Actions.Count > 0
        || (!prohibition.Reidentification && prohibition.JoinWith.Count == 0);

    /// <summary>The purposes a purpose covers in an agreement's vocabulary: itself and every narrower purpose.</summary>
    internal static HashSet<string> Narrower(Agreement agreement, IEnumerable<PurposeId> purposes)
    {
        var children = agreement.Purposes
            .Where(p => p.Broader is not null)
            .ToLookup(p => p.Broader!.Value.Value, p => p.Id.Value, StringComparer.Ordinal);
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(purposes.Select(p => p.Value));
        while (pending.TryPop(out var purpose))
        {
            // Invariant: a cycle in the vocabulary (a validation error) cannot loop: each purpose is visited once.
            if (covered.Add(purpose))
            {
                foreach (var child in children[purpose])
                {
                    pending.Push(child);
                }
            }
        }

        return covered;
    }

    private sealed partial class Compilation
    {
        private readonly PolicyAgreement[] _input;
        private readonly Dictionary<string, BitSet> _sets = new(StringComparer.Ordinal);

        public Compilation(PolicyAgreement[] input)
        {
            _input = input;
            foreach (var entry in input)
            {
                var agreement = entry.Agreement;
                foreach (var party in agreement.Parties)
                {
                    Intern(Parties, party.Id.Value);
                }

                foreach (var dataset in agreement.Datasets)
                {
                    Intern(Datasets, dataset.Id.Value);
                }

                foreach (var purpose in agreement.Purposes)
                {
                    Intern(Purposes, purpose.Id.Value);
                }

                foreach (var grant in agreement.Grants)
                {
                    foreach (var subprocessor in grant.Subprocessors)
                    {
                        Intern(Subprocessors, subprocessor.Value);
                    }
                }
            }

            PartyNames = Names(Parties);
            DatasetNames = Names(Datasets);
            Agreements = [.. input.Select(CompileAgreement)];
            var grants = input.Select((entry, a) => entry.Agreement.Grants.Select(g => CompileGrant(a, entry.Agreement, g)).ToArray()).ToArray();
            Cells = BuildCells(grants, CompileProhibitions());
        }

        public Dictionary<string, int> Parties { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Datasets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Purposes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Jurisdictions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Subprocessors { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the party ids by interned number.</summary>
        public string[] PartyNames { get; }

        /// <summary>Gets the dataset ids by interned number.</summary>
        public string[] DatasetNames { get; }

        public CompiledAgreement[] Agreements { get; }

        public Dictionary<long, PolicyCell> Cells { get; }

        public List<Diagnostic> Diagnostics { get; } = [];

        private static int Intern(Dictionary<string, int> table, string value)
        {
            if (!table.TryGetValue(value, out var id))
            {
                id = table.Count;
                table.Add(value, id);
            }

            return id;
        }

        private static string[] Names(Dictionary<string, int> table)
        {
            var names = new string[table.Count];
            foreach (var (name, id) in table)
            {
                names[id] = name;
            }

            return names;
        }

        private static int Lookup(Dictionary<string, int> table, string value) => table.TryGetValue(value, out var id) ? id : -1;

        private static int ActionMask(IReadOnlyList<DataAction> actions) => actions.Aggregate(0, (mask, a) => mask | (1 << (int)a));

        private static (long From, long Until) Ticks(TimeWindow window) => (window.From.UtcTicks, window.Until?.UtcTicks ?? long.MaxValue);

        private CompiledAgreement CompileAgreement(PolicyAgreement entry, int index)
        {
            var reference = new AgreementReference(entry.Agreement.Id, entry.Agreement.Version, entry.Digest);
            var (from, until) = Ticks(entry.Agreement.Effective);
            return new CompiledAgreement
            {
                Reference = reference,
                IsInForce = entry.IsInForce,
                From = from,
                Until = until,
                OutsideWindow = Decision.Deny([new Reason(ReasonCode.OutsideWindow, reference.Id)], [reference]),
                NotPermitted = Decision.Deny([new Reason(ReasonCode.NotPermittedByAnyGrant, reference.Id)], [reference]),
            };
        }

        // Clauses repeat the same purpose and jurisdiction lists: each distinct list is closed and interned once.
        private BitSet PurposeSet(int agreementIndex, Agreement agreement, IReadOnlyList<PurposeId> purposes)
        {
            var key = $"{agreementIndex}\n{string.Join('\n', purposes.Select(p => p.Value))}";
            if (!_sets.TryGetValue(key, out var set))
            {
                _sets[key] = set = BitSet.Of(Narrower(agreement, purposes).Select(p => Lookup(Purposes, p)));
            }

            return set;
        }

        private BitSet JurisdictionSet(IReadOnlyList<Jurisdiction> jurisdictions, bool forbid)
        {
            var key = $"{(forbid ? "forbid" : "permit")}\n{string.Join('\n', jurisdictions.Select(j => j.Value))}";
            if (!_sets.TryGetValue(key, out var set))
            {
                var codes = jurisdictions.Select(j => j.Value);
                var expanded = forbid ? JurisdictionGroups.ExpandOverlapping(codes) : JurisdictionGroups.ExpandMembers(codes);
                _sets[key] = set = BitSet.Of(expanded.Select(c => Intern(Jurisdictions, c)));
            }

            return set;
        }

        private CompiledGrant CompileGrant(int agreementIndex, Agreement agreement, Grant grant)
        {
            var (from, until) = Ticks(grant.Window ?? agreement.Effective);
            return new CompiledGrant
            {
                Agreement = agreementIndex,
                Source = grant,
                Actions = ActionMask(grant.Actions),
                Purposes = PurposeSet(agreementIndex, agreement, grant.Purposes),
                AnyJurisdiction = grant.Jurisdictions.Count == 0,
                Jurisdictions = JurisdictionSet(grant.Jurisdictions, forbid: false),
                Subprocessors = BitSet.Of(grant.Subprocessors.Select(s => Lookup(Subprocessors, s.Value))),
                From = from,
                Until = until,
            };
        }

        // Invariant: a prohibition binds only its own agreement: the recipients and datasets it names or, when it
        // names none, every party and dataset of that agreement. Lists keep clause order.
        private CompiledProhibition[][] CompileProhibitions() =>
            [.. _input.Select((entry, a) => entry.Agreement.Prohibitions.Where(IsDecidable).Select(prohibition => CompileProhibition(a, entry.Agreement, prohibition)).ToArray())];

        private CompiledProhibition CompileProhibition(int agreementIndex, Agreement agreement, Prohibition prohibition)
        {
            var named = DatasetsOf(agreement, prohibition.Datasets, prohibition.Collections);
            return new CompiledProhibition
            {
                Agreement = agreementIndex,
                Id = prohibition.Id,
                Actions = prohibition.Actions.Count == 0 ? AllActions : ActionMask(prohibition.Actions),
                AnyPurpose = prohibition.Purposes.Count == 0,
                Purposes = PurposeSet(agreementIndex, agreement, prohibition.Purposes),
                AnyJurisdiction = prohibition.Jurisdictions.Count == 0,
                Jurisdictions = JurisdictionSet(prohibition.Jurisdictions, forbid: true),
                Source = prohibition,
                AnyRecipient = prohibition.Recipients.Count == 0 && prohibition.Groups.Count == 0,
                Recipients = BitSet.Of(Recipients(agreement, prohibition.Recipients, prohibition.Groups).Select(r => Lookup(Parties, r.Value))),
                Datasets = BitSet.Of(agreement.Datasets
                    .DistinctBy(d => d.Id)
                    .Where(d => (prohibition.Datasets.Count == 0 && prohibition.Collections.Count == 0) || named.Contains(d.Id))
                    .Where(d => prohibition.Sensitivities.Count == 0 || prohibition.Sensitivities.Contains(d.Tags.Sensitivity))
                    .Select(d => Datasets[d.Id.Value])),
            };
        }

        // Invariant: an agreement covers every pair of one of its recipients and one of its datasets, whatever its
        // grants say, so that removing a grant or adding a prohibition can never turn a deny into a permit.
        // Speed: a pair is usually covered by one agreement and named by one grant or none, so the first coverer is
        // kept inline and the grants of all pairs are one list sorted by pair, not a list per pair.
        private Dictionary<long, PolicyCell> BuildCells(CompiledGrant[][] grants, CompiledProhibition[][] prohibitions)
        {
            var coverers = new Dictionary<long, int>();
            var alsoCovering = new Dictionary<long, List<int>>();
            for (var a = 0; a < _input.Length; a++)
            {
                var agreement = _input[a].Agreement;
                var datasets = agreement.Datasets.Select(d => Datasets[d.Id.Value]).Distinct().ToArray();
                foreach (var r in agreement.Parties.Where(p => p.Roles.Contains(PartyRole.Recipient)).Select(p => Parties[p.Id.Value]).Distinct())
                {
                    foreach (var d in datasets)
                    {
                        var key = CellKey(r, d);
                        if (coverers.TryAdd(key, a))
                        {
                            continue;
                        }

                        if (!alsoCovering.TryGetValue(key, out var list))
                        {
                            alsoCovering[key] = list = [coverers[key]];
                        }

                        list.Add(a);
                    }
                }
            }

            var named = new List<(long Key, int Order, CompiledGrant Grant)>();
            foreach (var compiled in grants.SelectMany(g => g))
            {
                var agreement = _input[compiled.Agreement].Agreement;
                var datasets = DatasetsOf(agreement, compiled.Source.Datasets, compiled.Source.Collections).Select(x => Lookup(Datasets, x.Value)).Where(d => d >= 0).Distinct().ToArray();
                foreach (var r in Recipients(agreement, [compiled.Source.Recipient], compiled.Source.Groups).Select(x => Lookup(Parties, x.Value)).Where(r => r >= 0).Distinct())
                {
                    foreach (var d in datasets)
                    {
                        named.Add((CellKey(r, d), named.Count, compiled));
                    }
                }
            }

            // Invariant: within a pair, grants keep the order they were named in (clause order).
            named.Sort((x, y) => x.Key != y.Key ? x.Key.CompareTo(y.Key) : x.Order.CompareTo(y.Order));
            var cells = new Dictionary<long, PolicyCell>(coverers.Count);
            var cellGrants = new List<CompiledGrant>();
            var cellProhibitions = new List<CompiledProhibition>();
            var next = 0;
            foreach (var (key, first) in coverers.OrderBy(x => x.Key))
            {
                while (next < named.Count && named[next].Key < key)
                {
                    next++;
                }

                cellGrants.Clear();
                for (; next < named.Count && named[next].Key == key; next++)
                {
                    cellGrants.Add(named[next].Grant);
                }

                var covering = alsoCovering.TryGetValue(key, out var several) ? several : null;
                cells[key] = BuildCell(cells.Count, key, first, covering, cellGrants, prohibitions, cellProhibitions);
            }

            return cells;
        }

        private PolicyCell BuildCell(int index, long key, int first, List<int>? several, List<CompiledGrant> grants, CompiledProhibition[][] prohibitions, List<CompiledProhibition> buffer)
        {
            if (several is not null || !Agreements[first].IsInForce)
            {
                var inForce = (several ?? [first]).Where(a => Agreements[a].IsInForce).ToList();
                if (inForce.Count != 1)
                {
                    return new PolicyCell
                    {
                        Index = index,
                        Agreement = -1,
                        Fixed = inForce.Count == 0 ? NotInForce(several ?? [first]) : Conflict(key, inForce),
                        Grants = [],
                        Prohibitions = [],
                    };
                }

                first = inForce[0];
            }

            var governing = first;
            var r = (int)(key >> 32);
            var d = (int)(uint)key;
            var scope = CellScope(governing, r, d);
            var cellGrants = new CompiledGrant[grants.Count(g => g.Agreement == governing)];
            var next = 0;
            foreach (var grant in grants)
            {
                if (grant.Agreement == governing)
                {
                    cellGrants[next++] = ForCell(grant, scope);
                }
            }

            buffer.Clear();
            foreach (var prohibition in prohibitions[governing])
            {
                if (prohibition.Datasets.Contains(d) && (prohibition.AnyRecipient || prohibition.Recipients.Contains(r)) && ForCell(prohibition, scope) is { } applies)
                {
                    buffer.Add(applies);
                }
            }

            return new PolicyCell
            {
                Index = index,
                Agreement = governing,
                Grants = cellGrants,
                Prohibitions = [.. buffer],
            };
        }

        private Decision NotInForce(List<int> coverers)
        {
            var references = coverers.Select(a => Agreements[a].Reference).ToArray();
            return Decision.Deny([.. references.Select(r => new Reason(ReasonCode.AgreementNotInForce, r.Id))], references);
        }

        private Decision Conflict(long key, List<int> inForce)
        {
            var references = inForce.Select(a => Agreements[a].Reference).ToArray();
            var recipient = PartyNames[(int)(key >> 32)];
            var dataset = DatasetNames[(int)(uint)key];
            Diagnostics.Add(DecisionErrorCodes.ConflictingAgreements.Warning(
                $"agreements {string.Join(" and ", references.Select(r => $"`{r.Id}`"))} are in force and both cover recipient `{recipient}` and dataset `{dataset}`: every request is denied"));
            return Decision.Deny([.. references.Skip(1).Select(other => new Reason(ReasonCode.ConflictingAgreements, references[0].Id, null, other.Id))], references);
        }
    }
}
