namespace Concordat.Agreements;

/// <summary>
/// What happens to one field when it leaves under a grant.
/// </summary>
/// <param name="Field">The field.</param>
/// <param name="Kind">The rule.</param>
/// <param name="Parameter">The rule's parameter: for generalise <c>month</c>, <c>year</c>, <c>range:10</c> or <c>prefix:3</c>; for mask the number of trailing characters kept.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record FieldRule(FieldName Field, FieldRuleKind Kind, string? Parameter);
