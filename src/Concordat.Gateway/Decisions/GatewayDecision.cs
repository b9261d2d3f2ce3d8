using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// A decision as the gateway uses it: the effect, the reasons (clause ids and messages), and for a permit the
/// agreement and grant whose obligations the gateway carries out.
/// </summary>
/// <param name="DecisionId">The decision id.</param>
/// <param name="IsPermit">Whether the effect is permit.</param>
/// <param name="Agreement">For a permit, the agreement in force.</param>
/// <param name="AgreementDigest">For a permit, its digest.</param>
/// <param name="Grant">For a permit, the grant that permits; its field and row rules and limits are the obligations.</param>
/// <param name="Reasons">The reasons, each naming a clause or the rule that decided.</param>
/// <param name="Record">The versioned decision record, as logged.</param>
internal sealed record GatewayDecision(
    string DecisionId,
    bool IsPermit,
    Agreement? Agreement,
    Sha256Digest? AgreementDigest,
    Grant? Grant,
    IReadOnlyList<DecisionReason> Reasons,
    JsonElement? Record);
