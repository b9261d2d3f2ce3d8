namespace Concordat.Decisions;

/// <summary>
/// The role of a service identity: it bounds the actions the identity may take, whatever the agreement grants
/// (least privilege). <see cref="IdentityRoles"/> holds what each role allows.
/// </summary>
/// <remarks>
/// A request names the role of the identity that asks (<see cref="DecisionRequest.Role"/>); the decision denies with
/// <see cref="ReasonCode.RoleNotPermitted"/> when the role does not allow the action.
/// </remarks>
// CAUTION: persisted/public format; see docs/api.md and docs/formats/decision-record.md
public enum IdentityRole
{
    /// <summary>Imports datasets on the provider's side; never reads rows out.</summary>
    Ingestion,

    /// <summary>Reads rows and downloads snapshots to train models.</summary>
    Training,

    /// <summary>Runs deployed models: aggregate queries only.</summary>
    Deployment,

    /// <summary>Reads rows and runs aggregate queries for analysis and evaluation.</summary>
    Analysis,
}
