using System.Text.Json;
using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// One decision the gateway made: its id, the request, the library's decision, and the agreements in force it was
/// made against. The record is the library's; the gateway adds only the id that names this event.
/// </summary>
/// <param name="Id">The decision id, drawn at random for this event (identical requests get different ids).</param>
/// <param name="Request">The request decided.</param>
/// <param name="Decision">The decision.</param>
/// <param name="Policy">The agreements in force it was decided against.</param>
internal sealed record DecisionEvent(DecisionId Id, DecisionRequest Request, Decision Decision, PolicySnapshot Policy)
{
    /// <summary>Gets the versioned decision record, as logged and returned.</summary>
    public DecisionRecordV1 Record { get; } = DecisionRecordV1.Create(Request, Decision);

    /// <summary>Gets a value indicating whether the request is permitted.</summary>
    public bool IsPermit => Decision.IsPermit;

    /// <summary>Gets, for a permit, the agreement in force that governs it.</summary>
    public ActiveAgreement? Agreement => IsPermit ? Policy.Find(Decision.Agreements[0]) : null;

    /// <summary>Gets, for a permit, the first grant that permits.</summary>
    public ClauseId? Clause => Decision.Reasons.FirstOrDefault(r => r.Code == ReasonCode.PermittedByGrant)?.Clause;

    /// <summary>Gets every reason as one line, the diagnostics of an evaluation error last (the operator and the log see all).</summary>
    public IReadOnlyList<string> Reasons => Lines(_ => true);

    /// <summary>
    /// The reasons <paramref name="caller"/> may see: those about agreements it is a party to, or about no agreement
    /// (the request, its role, the gateway); never another recipient's agreement.
    /// </summary>
    public IReadOnlyList<string> ReasonsFor(PartyId caller) =>
        Lines(agreement => Policy.Agreements.Any(a => a.Agreement.Id == agreement && a.Agreement.Parties.Any(p => p.Id == caller)));

    /// <summary>
    /// Makes the log entry of the decision; <paramref name="clientId"/> is the identity that asked, when one did;
    /// <paramref name="served"/> the dataset version a permitted read will serve and its manifest's digest.
    /// </summary>
    public DecisionEntry ToEntry(IdentityId? clientId, (int Version, string Manifest)? served = null) => new(
        Request.Time,
        Id.Value,
        Request.Recipient.Value,
        clientId?.Value,
        Request.Dataset.Value,
        Request.Purpose.Value,
        Request.Jurisdiction.Value,
        ApiNames.Name(Request.Action),
        DecisionNames.ToName(Decision.Effect),
        Agreement?.Agreement.Id.Value,
        Agreement?.Digest.ToString(),
        Reasons,
        JsonSerializer.SerializeToElement(Record.ToJson()),
        IsPermit ? served?.Version : null,
        IsPermit ? served?.Manifest : null);

    private List<string> Lines(Func<AgreementId, bool> mayShow) =>
    [
        .. Decision.Reasons.Where(r => r.Agreement is not { } agreement || mayShow(agreement)).Select(r => r.ToString()),
        .. Decision.Diagnostics.Select(d => $"{d.Code}: {d.Message}"),
    ];
}
