using Concordat.Core;

namespace Concordat.Data.Aggregates;

/// <summary>
/// The stable codes of aggregate query diagnostics (GW650x, GW651x), each with its title, meaning and fix;
/// docs/errors.md shows the same words. Every message names the member of the query at fault.
/// </summary>
// CAUTION: persisted/public format; codes are stable forever; see docs/errors.md
public static class AggregateErrorCodes
{
    #region GW650x aggregate query codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    public static readonly ErrorCode MalformedQuery = new("GW6500", "malformed aggregate query", "the query is not a JSON object, a member has the wrong JSON type, or a member is unknown (a typo must not quietly change a query)", "follow the query format in docs/api.md");
    public static readonly ErrorCode UnknownField = new("GW6501", "unknown field", "the query names a field the dataset lacks, or one the grant drops", "use a field the grant lets you see");
    public static readonly ErrorCode NotADimension = new("GW6502", "field cannot be a dimension", "a dimension's field is pseudonymised or masked under the grant, so its values cannot be listed in a domain", "group by a field the grant leaves as it is or generalises");
    public static readonly ErrorCode InvalidDomain = new("GW6503", "invalid domain", "a dimension has no domain, an empty one, a value twice, or more than 1,000 values; group keys come from a declared domain, never from the data", "list every value of the dimension you want a group for");
    public static readonly ErrorCode InvalidMeasure = new("GW6504", "invalid measure", "a measure has an unknown kind, lacks its field or bounds, has a lower bound above its upper one, bounds beyond ±10^12 or both zero, measures a field that is not an integer the grant leaves as it is, or is a `quantile` without a `quantile` above 0 and at most 1 (denominator at most 1,000)", "write `count`, `count-distinct`, or `sum`/`mean`/`quantile` with an integer `field` and integer `lower` ≤ `upper` (and `quantile`, such as `1/2`, for a quantile)");
    public static readonly ErrorCode InvalidFilter = new("GW6505", "invalid filter", "a filter has an unknown operator, a value that does not fit its field's type, the wrong number of values, or a field the grant transforms", "use `=`, `!=`, `<`, `<=`, `>`, `>=`, `in` or `between` on a field the grant leaves as it is");
    public static readonly ErrorCode InvalidContributionBound = new("GW6506", "invalid contribution bound", "`maxGroupsPerEntity` or `maxRowsPerGroup` is below 1 or above the gateway's cap", "give a whole number within the cap the message states");
    public static readonly ErrorCode InvalidNoise = new("GW6507", "invalid noise", "the mechanism is not `discrete-gaussian` or `discrete-laplace`, or the budget (`rho` for the Gaussian, `epsilon` for the Laplace) is not a positive number", "give a mechanism and a positive `rho` or `epsilon`, as a number or an exact fraction such as `1/100`");
    public static readonly ErrorCode NoEntityKey = new("GW6508", "no entity key", "the dataset classifies no field `direct-identifier`; the first such field is the entity key that contribution bounding and group sizes count", "the provider classifies the entity's identifier `direct-identifier` in the agreement (first among such fields)");
    public static readonly ErrorCode TooManyGroups = new("GW6509", "too many groups", "the dimensions' domains make more than 10,000 groups", "query fewer dimensions or smaller domains");
    public static readonly ErrorCode NotInGrantScope = new("GW6511", "field not allowed by the grant", "the grant's `aggregates` lists the fields a query may group by, measure or join on, and the columns of the recipient's table it may group by, and this field or column is not among them", "use a field the grant's `aggregates.dimensions`, `measures` or `joinKeys` lists, or a column `joinDimensions` lists, or ask the provider for a new agreement version");
    public static readonly ErrorCode InvalidJoin = new("GW6512", "invalid join", "the query joins a table the recipient has not uploaded for this dataset, or on a field whose type differs from the table's key, or groups by a column of the table without a join or one the table did not keep", "upload the table first (`PUT /v1/datasets/{datasetId}/recipient-tables/{tableId}`, with `dimensions` naming the columns to group by), and join on a field of the key's type");
    public static readonly ErrorCode PartitionSelectionNeedsDelta = new("GW6513", "partition selection needs δ", "a dimension without a `domain` asks for differentially private partition selection, which is (ε, δ)-DP with δ > 0, but the grant's `privacyBudget.delta` is 0 (pure DP only)", "declare the dimension's `domain`, or ask the provider for a budget with `delta` above 0");
    public static readonly ErrorCode DuplicateName = new("GW6510", "name used twice", "two measures have the same name, or a field is a dimension twice", "give each measure its own name and each dimension its own field");
#pragma warning restore CS1591
    #endregion
}
