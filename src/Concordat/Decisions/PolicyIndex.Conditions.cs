using Concordat.Agreements;
using Concordat.Agreements.Conditions;

namespace Concordat.Decisions;

/// <summary>Compiling conditions, collections and groups into the cells of an index.</summary>
public sealed partial class PolicyIndex
{
    private sealed partial class Compilation
    {
        private readonly Dictionary<int, (ConditionAttributes Attributes, AttributeLookup Lookup)> _scopes = [];
        private readonly Dictionary<Condition, BoundCondition?> _bound = new(ReferenceEqualityComparer.Instance);

        /// <summary>The parties a clause names directly and through its groups.</summary>
        private static IEnumerable<PartyId> Recipients(Agreement agreement, IEnumerable<PartyId> listed, IReadOnlyList<GroupId> groups) =>
            listed.Where(p => p.Value is { Length: > 0 }).Concat(agreement.Groups.Where(g => groups.Contains(g.Id)).SelectMany(g => g.Parties));

        /// <summary>The datasets a clause names directly and through its collections.</summary>
        private static HashSet<DatasetId> DatasetsOf(Agreement agreement, IEnumerable<DatasetId> listed, IReadOnlyList<CollectionId> collections) =>
            [.. listed.Concat(agreement.Collections.Where(c => collections.Contains(c.Id)).SelectMany(c => c.Datasets))];

        private CellFacts CellScope(int agreementIndex, int recipient, int dataset)
        {
            var agreement = _input[agreementIndex].Agreement;
            var recipientId = Parties.First(p => p.Value == recipient).Key;
            var datasetId = Datasets.First(p => p.Value == dataset).Key;
            return new CellFacts(agreementIndex, agreement, agreement.Parties.First(p => p.Id.Value == recipientId), agreement.Datasets.First(d => d.Id.Value == datasetId));
        }

        private CompiledGrant ForCell(CompiledGrant grant, CellFacts cell)
        {
            if (grant.Source.When is not { } when)
            {
                return grant;
            }

            var read = new List<AttributeValue>();
            return grant.ForCell(Compile(when, cell, read), [.. read]);
        }

        /// <summary>The prohibition for one cell; null when its conditions rule it out there whatever the request.</summary>
        private CompiledProhibition? ForCell(CompiledProhibition prohibition, CellFacts cell)
        {
            if (prohibition.Source.When is null && prohibition.Source.Unless is null)
            {
                return prohibition;
            }

            var read = new List<AttributeValue>();
            var when = prohibition.Source.When is { } w ? Compile(w, cell, read) : null;
            var unless = prohibition.Source.Unless is { } u ? Compile(u, cell, read) : null;
            return when is ConstantCondition { Value: Truth.False } || unless is ConstantCondition { Value: Truth.True }
                ? null
                : prohibition.ForCell(when, unless, [.. read]);
        }

        /// <summary>Folds the cell's dataset and recipient into <paramref name="condition"/> and compiles what is left.</summary>
        private CompiledCondition Compile(Condition condition, CellFacts cell, List<AttributeValue> read)
        {
            var (attributes, lookup) = Scope(cell.AgreementIndex, cell.Agreement);
            if (!_bound.TryGetValue(condition, out var bound))
            {
                _bound[condition] = bound = new ConditionChecker(attributes, static (_, _, _, _) => { }).Check(condition.Syntax);
            }

            // Security: a condition that does not check (an agreement that skipped validation) is unknown: it never
            // permits, and a prohibition with it applies.
            if (bound is null)
            {
                return new ConstantCondition(Truth.Unknown);
            }

            ConditionValue? ValueOf(AttributeRef attribute) => attribute.Subject == AttributeSubject.Dataset ? lookup.Dataset(cell.Dataset, attribute) : lookup.Recipient(cell.Recipient, attribute);
            foreach (var attribute in ConditionFolder.AgreementAttributes(bound))
            {
                read.Add(new AttributeValue(attribute.Path, ValueOf(attribute)?.Text, AttributeLookup.Source));
            }

            return Translate(ConditionFolder.Fold(bound, ValueOf), cell.Agreement);
        }

        private (ConditionAttributes, AttributeLookup) Scope(int agreementIndex, Agreement agreement)
        {
            if (!_scopes.TryGetValue(agreementIndex, out var scope))
            {
                _scopes[agreementIndex] = scope = (new ConditionAttributes(agreement), new AttributeLookup(agreement));
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

        private readonly record struct CellFacts(int AgreementIndex, Agreement Agreement, Party Recipient, DatasetDefinition Dataset);
    }
}
