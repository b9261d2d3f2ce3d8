namespace Concordat.Agreements;

/// <summary>
/// The parties and datasets a clause covers: those it names directly, then the members of the groups and collections
/// it names, each once. The one expansion the validator, the amendment diff and the ODRL export share.
/// </summary>
internal static class ClauseScope
{
    /// <summary>The parties named, then the members of the groups named, each once.</summary>
    public static IEnumerable<PartyId> Parties(Agreement agreement, IEnumerable<PartyId> parties, IReadOnlyList<GroupId> groups) =>
        parties.Concat(agreement.Groups.Where(g => groups.Contains(g.Id)).SelectMany(g => g.Parties)).Distinct();

    /// <summary>The datasets named, then the datasets of the collections named, each once.</summary>
    public static IEnumerable<DatasetId> Datasets(Agreement agreement, IEnumerable<DatasetId> datasets, IReadOnlyList<CollectionId> collections) =>
        datasets.Concat(agreement.Collections.Where(c => collections.Contains(c.Id)).SelectMany(c => c.Datasets)).Distinct();
}
