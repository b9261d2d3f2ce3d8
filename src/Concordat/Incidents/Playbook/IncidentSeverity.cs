namespace Concordat.Incidents.Playbook;

/// <summary>How bad an incident is, as the triage owner judges it.</summary>
// CAUTION: persisted/public format (written in incident log entries); see docs/design/incidents.md
public enum IncidentSeverity
{
    /// <summary>No data is suspected to have left.</summary>
    Low,

    /// <summary>Data may have left within what the agreements permit.</summary>
    Medium,

    /// <summary>Data is suspected to have left beyond what the agreements permit.</summary>
    High,

    /// <summary>Personal or restricted data is known to have left.</summary>
    Critical,
}
