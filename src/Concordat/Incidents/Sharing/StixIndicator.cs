namespace Concordat.Incidents.Sharing;

/// <summary>
/// What Concordat reads from one STIX 2.1 indicator of a partner's bundle: the identities (client ids) and token ids
/// its pattern compares with, and the alert names its labels carry.
/// </summary>
/// <param name="Id">The indicator's STIX id.</param>
/// <param name="Name">Its name, when it has one.</param>
/// <param name="ClientIds">The values its pattern compares <c>user-account:user_id</c> or <c>user-account:account_login</c> with.</param>
/// <param name="TokenIds">The values its pattern compares <c>x-concordat-token:token_id</c> with.</param>
/// <param name="Labels">Its labels (an alert name from the vocabulary among them, for bundles Concordat wrote).</param>
public sealed record StixIndicator(string Id, string? Name, IReadOnlyList<string> ClientIds, IReadOnlyList<string> TokenIds, IReadOnlyList<string> Labels);
