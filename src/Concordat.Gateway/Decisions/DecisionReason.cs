using Concordat.Agreements;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// One reason of a decision.
/// </summary>
/// <param name="Clause">The clause that caused it, when a clause did.</param>
/// <param name="Recipient">The recipient the clause concerns, when it names one: a deny shows the caller only reasons about itself or about no one in particular.</param>
/// <param name="Message">The reason, one line.</param>
internal sealed record DecisionReason(ClauseId? Clause, PartyId? Recipient, string Message)
{
    /// <summary>Renders the reason as logged: <c>clause: message</c>.</summary>
    public override string ToString() => Clause is { } clause ? $"{clause}: {Message}" : Message;
}
