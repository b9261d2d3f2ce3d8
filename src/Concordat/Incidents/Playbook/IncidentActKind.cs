namespace Concordat.Incidents.Playbook;

/// <summary>The acts of the playbook, each logged with its actor and time.</summary>
// CAUTION: persisted/public format (written in incident log entries); see docs/design/incidents.md
public enum IncidentActKind
{
    /// <summary>The affected recipients sealed (the gateway's seal).</summary>
    Seal,

    /// <summary>A forensic snapshot taken: a signed checkpoint and the relevant entries with their proofs.</summary>
    Snapshot,

    /// <summary>A notification given to one whom of the notification clocks.</summary>
    Notify,

    /// <summary>A remediation carried out.</summary>
    Remediate,

    /// <summary>The incident closed with its postmortem.</summary>
    Close,

    /// <summary>The incident acknowledged by a responder: triage has begun (what a report's acknowledgement waits for).</summary>
    Acknowledge,
}
