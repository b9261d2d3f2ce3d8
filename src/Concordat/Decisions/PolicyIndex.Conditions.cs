using Concordat.Agreements;
using Concordat.Agreements.Conditions;

namespace Concordat.Decisions;

/// <summary>Compiling conditions, collections and groups into the cells of an index.</summary>
public sealed partial class PolicyIndex
{
    private sealed partial class Compilation
    {
        private readonly Dictionary<int, AgreementScope> _scopes = [];
        private readonly Dictionary<Condition, CheckedCondition> _checked = new(ReferenceEqualityComparer.Instance);

        // A clause's folded form depends only on the values of the agreement attributes its conditions read, and
        // thousands of cells share a few combinations: each clause is folded once per combination, and cells with
        // the same combination share the folded clause (immutable, like the clauses without conditions they share).
        // The combination is spelled into a reused buffer and looked up as a span, so a hit allocates nothing.
        private readonly Dictionary<object, Dictionary<string, object?>> _folded = new(ReferenceEqualityComparer.Instance);
        private char[] _spelling = new char[256];

        /// <summary>The parties a clause names directly and through its groups.</summary>
        private static IEnumerable<PartyId> Recipients(Agreement agreement, IEnumerable<PartyId> listed, IReadOnlyList<GroupId> groups) =>
            listed.Where(p => p.Value is { Length: > 0 }).Concat(agreement.Groups.Where(g => groups.Contains(g.Id)).SelectMany(g => g.Parties));

        /// <summary>The datasets a clause names directly and through its collections.</summary>
        private static HashSet<DatasetId> DatasetsOf(Agreement agreement, IEnumerable<DatasetId> listed, IReadOnlyList<CollectionId> collections) =>
            [.. listed.Concat(agreement.Collections.Where(c => collections.Contains(c.Id)).SelectMany(c => c.Datasets))];

        private CellFacts CellScope(int agreementIndex, int recipient, int dataset)
        {
            var scope = Scope(agreementIndex);
            return new CellFacts(scope, scope.Recipients[PartyNames[recipient]], scope.Datasets[DatasetNames[dataset]]);
        }

        private CompiledGrant ForCell(CompiledGrant grant, CellFacts cell)
        {
            if (grant.Source.When is not { } when)
            {
                return grant;
            }

            var byValues = Folded(grant, cell, when, null, out var length);
            var values = _spelling.AsSpan(0, length);
            if (!byValues.TryGetValue(values, out var folded))
            {
                var read = new List<AttributeValue>();
                byValues[values.ToString()] = folded = grant.ForCell(Compile(when, cell, read), [.. read]);
            }

            return (CompiledGrant)folded!;
        }

        /// <summary>The prohibition for one cell; null when its conditions rule it out there whatever the request.</summary>
        private CompiledProhibition? ForCell(CompiledProhibition prohibition, CellFacts cell)
        {
            if (prohibition.Source.When is null && prohibition.Source.Unless is null)
            {
                return prohibition;
            }

            var byValues = Folded(prohibition, cell, prohibition.Source.When, prohibition.Source.Unless, out var length);
            var values = _spelling.AsSpan(0, length);
            if (!byValues.TryGetValue(values, out var folded))
            {
                var read = new List<AttributeValue>();
                var when = prohibition.Source.When is { } w ? Compile(w, cell, read) : null;
                var unless = prohibition.Source.Unless is { } u ? Compile(u, cell, read) : null;
                byValues[values.ToString()] = folded = when is ConstantCondition { Value: Truth.False } || unless is ConstantCondition { Value: Truth.True }
                    ? null
                    : prohibition.ForCell(when, unless, [.. read]);
            }

            return (CompiledProhibition?)folded;
        }

        /// <summary>
        /// The clause's folded forms by the values they were folded with, and the canonical text of every agreement
        /// attribute its conditions read in the cell, in reading order.
        /// </summary>
        private Dictionary<string, object?>.AlternateLookup<ReadOnlySpan<char>> Folded(object clause, CellFacts cell, Condition? first, Condition? second, out int length)
        {
            if (!_folded.TryGetValue(clause, out var byValues))
            {
                _folded[clause] = byValues = new Dictionary<string, object?>(StringComparer.Ordinal);
            }

            length = 0;
            foreach (var condition in (ReadOnlySpan<Condition?>)[first, second])
            {
                if (condition is null)
                {
                    continue;
                }

                // Invariant: separators and the marker of a missing value cannot occur in a canonical value's text.
                Spell(ref length, "\u001e");
                foreach (var attribute in Check(condition, cell.Scope).Reads)
                {
                    Spell(ref length, ValueOf(cell, attribute)?.Text ?? "\u0000");
                    Spell(ref length, "\u001f");
                }
            }

            return byValues.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        private void Spell(ref int length, string text)
        {
            if (length + text.Length > _spelling.Length)
            {
                Array.Resize(ref _spelling, Math.Max(_spelling.Length * 2, length + text.Length));
            }

            text.CopyTo(_spelling.AsSpan(length));
            length += text.Length;
        }

        // Invariant: the lookup builds a new value per call; each dataset's and recipient's values are read once.
        private static ConditionValue? ValueOf(CellFacts cell, AttributeRef attribute)
        {
            object owner = attribute.Subject == AttributeSubject.Dataset ? cell.Dataset : cell.Recipient;
            if (!cell.Scope.Values.TryGetValue(owner, out var values))
            {
                cell.Scope.Values[owner] = values = [];
            }

            if (!values.TryGetValue(attribute, out var value))
            {
                values[attribute] = value = owner is DatasetDefinition dataset ? cell.Scope.Lookup.Dataset(dataset, attribute) : cell.Scope.Lookup.Recipient(cell.Recipient, attribute);
            }

            return value;
        }

        private CheckedCondition Check(Condition condition, AgreementScope scope)
        {
            if (!_checked.TryGetValue(condition, out var result))
            {
                var bound = new ConditionChecker(scope.Attributes, static (_, _, _, _) => { }).Check(condition.Syntax);
                _checked[condition] = result = new CheckedCondition(bound, bound is null ? [] : [.. ConditionFolder.AgreementAttributes(bound)]);
            }

            return result;
        }

        /// <summary>Folds the cell's dataset and recipient into <paramref name="condition"/> and compiles what is left.</summary>
        private CompiledCondition Compile(Condition condition, CellFacts cell, List<AttributeValue> read)
        {
            // Security: a condition that does not check (an agreement that skipped validation) is unknown: it never
            // permits, and a prohibition with it applies.
            if (Check(condition, cell.Scope) is not { Bound: { } bound, Reads: var reads })
            {
                return new ConstantCondition(Truth.Unknown);
            }

            foreach (var attribute in reads)
            {
                read.Add(new AttributeValue(attribute.Path, ValueOf(cell, attribute)?.Text, AttributeLookup.Source));
            }

            return Translate(ConditionFolder.Fold(bound, attribute => ValueOf(cell, attribute)), cell.Scope.Agreement);
        }

        private AgreementScope Scope(int agreementIndex)
        {
            if (!_scopes.TryGetValue(agreementIndex, out var scope))
            {
                var agreement = _input[agreementIndex].Agreement;
                _scopes[agreementIndex] = scope = new AgreementScope(
                    agreement,
                    new ConditionAttributes(agreement),
                    new AttributeLookup(agreement),
                    agreement.Parties.DistinctBy(p => p.Id.Value).ToDictionary(p => p.Id.Value, StringComparer.Ordinal),
                    agreement.Datasets.DistinctBy(d => d.Id.Value).ToDictionary(d => d.Id.Value, StringComparer.Ordinal));
            }

            return scope;
        }

        // Invariant: after folding only request attributes are left, each compared with a literal (the checker
        // rejects two request attributes in one comparison, and no request attribute is a set or a boolean).
        private CompiledCondition Translate(BoundCondition condition, Agreement agreement)
        {
            switch (condition)
            {
                case BoundConstant constant:
                    return new ConstantCondition(constant.Value);
                case BoundNot not:
                    return new NotCondition(Translate(not.Operand, agreement));
                case BoundJunction junction:
                    return new JunctionCondition(junction.IsAnd, [.. junction.Operands.Select(o => Translate(o, agreement))]);
                case BoundComparison { Left: BoundAttribute left, Right: BoundLiteral right } comparison:
                    return Compare(left.Attribute, comparison.Operator, right.Value, agreement);
                case BoundComparison { Left: BoundLiteral left, Right: BoundAttribute right } comparison:
                    return Compare(right.Attribute, Flip(comparison.Operator), left.Value, agreement);
                case BoundMembership { Element: BoundAttribute element, Set: BoundLiteral set }:
                    return new FactCondition(Fact(element.Attribute), Members(element.Attribute, set.Value.Members ?? [], agreement, membership: true));
                default:
                    throw new InvalidOperationException("a condition could not be compiled");
            }
        }

        private CompiledCondition Compare(AttributeRef attribute, string op, ConditionValue value, Agreement agreement)
        {
            if (attribute.Name == "time")
            {
                return new TimeCondition(op, value.Number);
            }

            var equal = new FactCondition(Fact(attribute), Members(attribute, [value.Text], agreement, membership: false));
            return op == "==" ? equal : new NotCondition(equal);
        }

        private BitSet Members(AttributeRef attribute, IReadOnlyList<string> values, Agreement agreement, bool membership) => attribute.Name switch
        {
            "action" => BitSet.Of(values.Select(v => AgreementEnumText.TryParse<DataAction>(v, out var action) ? (int)action : -1)),
            "role" => BitSet.Of(values.Select(v => AgreementEnumText.TryParse<IdentityRole>(v, out var role) ? (int)role : -1)),
            "purpose" => BitSet.Of((membership ? Narrower(agreement, values.Select(v => new PurposeId(v))) : (IEnumerable<string>)values).Select(v => Lookup(Purposes, v))),
            "jurisdiction" => BitSet.Of((membership ? JurisdictionGroups.ExpandMembers(values) : (IEnumerable<string>)values).Select(v => Intern(Jurisdictions, v))),
            _ => BitSet.Of(values.Select(v => Intern(Subprocessors, v))),
        };

        private static RequestFact Fact(AttributeRef attribute) => attribute.Name switch
        {
            "action" => RequestFact.Action,
            "role" => RequestFact.Role,
            "purpose" => RequestFact.Purpose,
            "jurisdiction" => RequestFact.Jurisdiction,
            _ => RequestFact.Subprocessor,
        };

        private static string Flip(string op) => op switch
        {
            "<" => ">",
            "<=" => ">=",
            ">" => "<",
            ">=" => "<=",
            _ => op,
        };

        private readonly record struct CellFacts(AgreementScope Scope, Party Recipient, DatasetDefinition Dataset);

        private sealed record AgreementScope(
            Agreement Agreement,
            ConditionAttributes Attributes,
            AttributeLookup Lookup,
            Dictionary<string, Party> Recipients,
            Dictionary<string, DatasetDefinition> Datasets)
        {
            public Dictionary<object, Dictionary<AttributeRef, ConditionValue?>> Values { get; } = new(ReferenceEqualityComparer.Instance);
        }

        private sealed record CheckedCondition(BoundCondition? Bound, AttributeRef[] Reads);
    }
}
