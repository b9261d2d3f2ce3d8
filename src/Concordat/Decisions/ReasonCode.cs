namespace Concordat.Decisions;

/// <summary>
/// Why a decision came out as it did. Callers switch on the code, never on message text.
/// </summary>
/// <remarks>The JSON names (in decision records and the CLI) are listed in docs/design/decisions.md.</remarks>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public enum ReasonCode
{
    /// <summary>A grant permits the request (<c>permitted-by-grant</c>); the reason names the grant.</summary>
    PermittedByGrant,

    /// <summary>A prohibition forbids the request (<c>forbidden-by-clause</c>); the reason names the prohibition.</summary>
    ForbiddenByClause,

    /// <summary>No grant covers the recipient, dataset, action and purpose (<c>not-permitted-by-any-grant</c>).</summary>
    NotPermittedByAnyGrant,

    /// <summary>The only agreement covering the recipient and dataset is not in force (<c>agreement-not-in-force</c>).</summary>
    AgreementNotInForce,

    /// <summary>The recipient is not a party to any agreement of the index (<c>unknown-recipient</c>).</summary>
    UnknownRecipient,

    /// <summary>The dataset is not defined by any agreement of the index (<c>unknown-dataset</c>).</summary>
    UnknownDataset,

    /// <summary>The purpose is not in the vocabulary of any agreement of the index (<c>unknown-purpose</c>).</summary>
    UnknownPurpose,

    /// <summary>Two in-force agreements cover the same recipient and dataset (<c>conflicting-agreements</c>); the reason names both.</summary>
    ConflictingAgreements,

    /// <summary>The time lies outside the agreement's effective window or, when a clause is named, the grant's window (<c>outside-window</c>).</summary>
    OutsideWindow,

    /// <summary>A grant covers the request but not its processing jurisdiction (<c>jurisdiction-not-permitted</c>).</summary>
    JurisdictionNotPermitted,

    /// <summary>A grant covers the request but not its subprocessor (<c>subprocessor-not-permitted</c>).</summary>
    SubprocessorNotPermitted,

    /// <summary>The request could not be evaluated (<c>evaluation-error</c>); the decision's diagnostics say why.</summary>
    EvaluationError,

    /// <summary>The role of the identity that asks does not allow the action, whatever the agreements grant (<c>role-not-permitted</c>).</summary>
    RoleNotPermitted,

    /// <summary>
    /// The host that decided does not carry out the action yet (<c>action-not-available</c>), so it denies before any
    /// agreement is read: the gateway serves rows, not yet aggregate queries or snapshot downloads.
    /// </summary>
    ActionNotAvailable,

    /// <summary>
    /// A grant covers the request but its condition (<c>when</c>) is false or unknown (<c>condition-not-met</c>); the
    /// decision's attributes name the values it read.
    /// </summary>
    ConditionNotMet,
}
