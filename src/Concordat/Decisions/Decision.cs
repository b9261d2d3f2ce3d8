using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// The outcome of a request: permit with obligations, or deny; always with the reasons and the agreements that decided.
/// </summary>
/// <remarks>
/// A decision is immutable and shared: the index hands out the same instance for every request with the same
/// outcome, so deciding allocates nothing. It therefore carries no request, time, digest or id: a decision
/// record (<c>DecisionRecordV1</c>) binds it to one request and digests the whole, and a host that logs the
/// decision names that one event with a <see cref="DecisionId"/>.
/// </remarks>
public sealed class Decision
{
    internal Decision(Effect effect, IReadOnlyList<Reason> reasons, Obligations obligations, IReadOnlyList<AgreementReference> agreements, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<AttributeValue>? attributes = null)
    {
        Attributes = attributes ?? [];
        Effect = effect;
        Reasons = reasons;
        Obligations = obligations;
        Agreements = agreements;
        Diagnostics = diagnostics;
    }

    /// <summary>
    /// Gets the deny a host returns, without asking an index, for an action it does not carry out yet
    /// (<see cref="ReasonCode.ActionNotAvailable"/>): the gateway serves rows, not yet aggregate queries or snapshot
    /// downloads, whose obligations it could not carry out. It names no agreement.
    /// </summary>
    public static Decision ActionNotAvailable { get; } = Deny([new Reason(ReasonCode.ActionNotAvailable)], []);

    /// <summary>Gets the effect.</summary>
    public Effect Effect { get; }

    /// <summary>Gets a value indicating whether the request is permitted.</summary>
    public bool IsPermit => Effect == Effect.Permit;

    /// <summary>Gets the reasons, in a stable order (agreement order, then clause order).</summary>
    public IReadOnlyList<Reason> Reasons { get; }

    /// <summary>Gets the obligations; <see cref="Obligations.None"/> for a deny.</summary>
    public Obligations Obligations { get; }

    /// <summary>Gets the agreements that decided: the agreement governing the recipient and dataset first, then any other named by a reason.</summary>
    public IReadOnlyList<AgreementReference> Agreements { get; }

    /// <summary>
    /// Gets the dataset and recipient attributes that the conditions of the clauses named by <see cref="Reasons"/>
    /// read, with their values and sources, ordered by attribute; empty when no such clause has a condition.
    /// </summary>
    public IReadOnlyList<AttributeValue> Attributes { get; }

    /// <summary>Gets the diagnostics of an evaluation error (code <c>POL3xxx</c>); empty otherwise.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    internal static Decision Deny(IReadOnlyList<Reason> reasons, IReadOnlyList<AgreementReference> agreements, IReadOnlyList<AttributeValue>? attributes = null) =>
        new(Effect.Deny, reasons, Obligations.None, agreements, [], attributes);

    internal static Decision Error(Diagnostic diagnostic) =>
        new(Effect.Deny, [new Reason(ReasonCode.EvaluationError)], Obligations.None, [], [diagnostic]);
}
