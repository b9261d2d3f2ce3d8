using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// The stable codes of requests that cannot be decided (POL30xx; such a request is denied) and of agreement sets
/// that cannot be enforced as written (POL31xx), each with its title, meaning and fix. docs/errors.md shows the same
/// words. Reason codes, which say why a request was permitted or denied, are not error codes: see
/// <see cref="ReasonCode"/>.
/// </summary>
// CAUTION: persisted/public format (decision records list these codes); see docs/errors.md
public static class DecisionErrorCodes
{
    #region POL codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    public static readonly ErrorCode EvaluationFailed = new("POL3001", "evaluation failed", "the request could not be evaluated (an internal error); it was denied", "report this as a bug; the request was denied");
    public static readonly ErrorCode IncompleteRequest = new("POL3002", "incomplete request", "the request is incomplete: a recipient, a known action, a dataset, a purpose and a jurisdiction are required, and a role, when given, must be known", "give every field of the request");
    public static readonly ErrorCode MalformedRequest = new("POL3003", "malformed request", "a request given as JSON or flags is malformed: unknown member, missing field, unknown action or role, time not RFC 3339", "see docs/formats/decision-record.md for the request members");
    public static readonly ErrorCode MalformedRecord = new("POL3004", "malformed decision record", "a decision record is malformed or of an unsupported version", "a decision record is the canonical JSON of docs/formats/decision-record.md");
    public static readonly ErrorCode ConflictingAgreements = new("POL3101", "conflicting agreements in force", "two in-force agreements cover the same recipient and dataset: every request for them is denied", "supersede or terminate one of them, or move the grant into one agreement");
#pragma warning restore CS1591
    #endregion
}
