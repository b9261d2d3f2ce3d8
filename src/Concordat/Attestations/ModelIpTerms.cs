namespace Concordat.Attestations;

/// <summary>The owners one agreement's IP terms give a model.</summary>
/// <param name="Agreement">The agreement's id.</param>
/// <param name="Version">Its version.</param>
/// <param name="Owners">The parties that own the model under it (several when owned jointly).</param>
// CAUTION: public format (recorded in model attestations); see docs/formats/attestations.md#modelv1
public sealed record ModelIpTerms(string Agreement, int Version, IReadOnlyList<string> Owners);
