namespace Concordat.Agreements;

/// <summary>
/// A named set of the agreement's datasets, usable wherever clauses name datasets.
/// </summary>
/// <param name="Id">The collection id.</param>
/// <param name="Datasets">The datasets it holds.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record CollectionDefinition(CollectionId Id, IReadOnlyList<DatasetId> Datasets);
