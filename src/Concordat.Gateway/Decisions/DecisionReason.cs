using Concordat.Agreements;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// One reason of a decision.
/// </summary>
/// <param name="Audience">The parties the reason may be shown to (the parties of the agreement it names); <see langword="null"/> when it names no agreement.</param>
/// <param name="Message">The reason, one line.</param>
internal sealed record DecisionReason(IReadOnlyList<PartyId>? Audience, string Message)
{
    /// <summary>Renders the reason.</summary>
    public override string ToString() => Message;
}
