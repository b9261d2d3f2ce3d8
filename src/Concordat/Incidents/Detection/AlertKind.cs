namespace Concordat.Incidents.Detection;

/// <summary>
/// What a detector noticed; each kind has one name in the alert vocabulary (<see cref="AlertVocabulary"/>).
/// </summary>
// CAUTION: persisted/public format; see docs/design/incidents.md#alert-vocabulary
public enum AlertKind
{
    /// <summary><c>volume-spike</c>: rows or bytes that left in an hour far above the learned baseline.</summary>
    VolumeSpike,

    /// <summary><c>request-rate-spike</c>: decisions asked for in an hour far above the learned baseline.</summary>
    RequestRateSpike,

    /// <summary><c>deny-rate-spike</c>: many denied or refused requests, at a share far above the learned baseline.</summary>
    DenyRateSpike,

    /// <summary><c>off-hours-access</c>: access in an hour of the day (weekday or weekend) never used before.</summary>
    OffHoursAccess,

    /// <summary><c>new-jurisdiction</c>: a processing jurisdiction not seen during the learning period.</summary>
    NewJurisdiction,

    /// <summary><c>new-subprocessor</c>: a subprocessor not seen during the learning period.</summary>
    NewSubprocessor,

    /// <summary><c>dataset-sweep</c>: many distinct datasets asked for in a short window.</summary>
    DatasetSweep,

    /// <summary><c>token-burst</c>: tokens issued in an hour far above the learned baseline.</summary>
    TokenBurst,

    /// <summary><c>deletion-attestation-overdue</c>: a recipient's deletion attestation for an egress is past its deadline (the retention check, not a usage detector).</summary>
    DeletionAttestationOverdue,
    /// <summary><c>shared-indicator</c>: a partner's STIX indicator names one of this gateway's identities or tokens.</summary>
    SharedIndicator,

    /// <summary><c>diligence-expired</c>: a due-diligence record an agreement in force relies on is past the requirement's <c>maxAgeDays</c> (the diligence check, not a usage detector).</summary>
    DiligenceExpired,
}
