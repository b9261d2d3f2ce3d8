namespace Concordat.Agreements;

/// <summary>
/// A clause that forbids; it overrides any grant. An empty list means the prohibition applies to every value of that kind.
/// </summary>
/// <param name="Id">The clause id.</param>
/// <param name="Recipients">The recipients it applies to.</param>
/// <param name="Datasets">The datasets it applies to.</param>
/// <param name="Purposes">The purposes it forbids (narrower purposes are forbidden too).</param>
/// <param name="Jurisdictions">The processing jurisdictions it forbids.</param>
/// <param name="Sensitivities">The dataset sensitivity levels it applies to.</param>
/// <param name="Actions">The actions it forbids.</param>
/// <param name="Reidentification">Forbids any attempt to re-identify people (recorded and attested; not decidable per request).</param>
/// <param name="JoinWith">Datasets the covered data must never be joined with (recorded and attested).</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record Prohibition(ClauseId Id, IReadOnlyList<PartyId> Recipients, IReadOnlyList<DatasetId> Datasets, IReadOnlyList<PurposeId> Purposes, IReadOnlyList<Jurisdiction> Jurisdictions, IReadOnlyList<SensitivityLevel> Sensitivities, IReadOnlyList<DataAction> Actions, bool Reidentification, IReadOnlyList<DatasetId> JoinWith)
{
    /// <summary>Gets the collections whose datasets the prohibition also applies to.</summary>
    public IReadOnlyList<CollectionId> Collections { get; init; } = [];

    /// <summary>Gets the groups whose members the prohibition also applies to.</summary>
    public IReadOnlyList<GroupId> Groups { get; init; } = [];

    /// <summary>Gets the condition under which the prohibition applies, when any; unknown counts as applying.</summary>
    public Condition? When { get; init; }

    /// <summary>Gets the condition under which the prohibition does not apply, when any; only true exempts.</summary>
    public Condition? Unless { get; init; }
}
