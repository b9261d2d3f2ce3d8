using System.Text.Json;
using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// A decision as the gateway uses it: the effect, the reasons, and for a permit the agreement in force and the
/// obligations the gateway carries out.
/// </summary>
/// <param name="DecisionId">The gateway's id of this decision (unique per decision; the record keeps its content id).</param>
/// <param name="IsPermit">Whether the effect is permit.</param>
/// <param name="Agreement">For a permit, the agreement in force.</param>
/// <param name="Obligations">For a permit, the obligations (field and row rules, lifetime cap, limits).</param>
/// <param name="Clause">For a permit, the grant that permits.</param>
/// <param name="Reasons">The reasons.</param>
/// <param name="Record">The versioned decision record, as logged.</param>
internal sealed record GatewayDecision(
    DecisionId DecisionId,
    bool IsPermit,
    ActiveAgreement? Agreement,
    Obligations? Obligations,
    ClauseId? Clause,
    IReadOnlyList<DecisionReason> Reasons,
    JsonElement? Record);
