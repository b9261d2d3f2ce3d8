using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// One reason for a decision, naming the agreement and clause that caused it when there is one.
/// </summary>
/// <param name="Code">What kind of reason it is.</param>
/// <param name="Agreement">The agreement the reason comes from, when any.</param>
/// <param name="Clause">The clause (grant or prohibition) that decided, when any.</param>
/// <param name="OtherAgreement">For <see cref="ReasonCode.ConflictingAgreements"/>, the second agreement.</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public sealed record Reason(ReasonCode Code, AgreementId? Agreement = null, ClauseId? Clause = null, AgreementId? OtherAgreement = null)
{
    /// <summary>Renders the reason as one line of plain language, such as <c>forbidden by clause `p1` of agreement `a`</c>.</summary>
    /// <returns>The message.</returns>
    public override string ToString()
    {
        var clause = Clause is { } c ? $"clause `{c}` of agreement `{Agreement}`" : $"agreement `{Agreement}`";
        return Code switch
        {
            ReasonCode.PermittedByGrant => $"permitted by {clause}",
            ReasonCode.ForbiddenByClause => $"forbidden by {clause}",
            ReasonCode.NotPermittedByAnyGrant => Agreement is null ? "not permitted by any grant" : $"not permitted by any grant of agreement `{Agreement}`",
            ReasonCode.AgreementNotInForce => $"agreement `{Agreement}` is not in force",
            ReasonCode.UnknownRecipient => "the recipient is not a party to any agreement",
            ReasonCode.UnknownDataset => "the dataset is not defined by any agreement",
            ReasonCode.UnknownPurpose => "the purpose is not in any agreement's vocabulary",
            ReasonCode.ConflictingAgreements => $"agreements `{Agreement}` and `{OtherAgreement}` both cover this recipient and dataset",
            ReasonCode.OutsideWindow => $"outside the window of {clause}",
            ReasonCode.JurisdictionNotPermitted => $"the processing jurisdiction is not permitted by {clause}",
            ReasonCode.SubprocessorNotPermitted => $"the subprocessor is not permitted by {clause}",
            ReasonCode.RoleNotPermitted => "the identity's role does not allow the action",
            ReasonCode.ActionNotAvailable => "the gateway does not serve the action yet",
            ReasonCode.ConditionNotMet => $"the condition of {clause} is not met",
            _ => "the request could not be evaluated",
        };
    }
}
