namespace Concordat.Incidents.Kpi;

/// <summary>
/// The response figures of a period, computed from log entries only (<see cref="IncidentKpis"/>), so that every
/// party holding the log gets the same ones.
/// </summary>
/// <param name="From">The start of the period (inclusive), or null for the log's start.</param>
/// <param name="To">The end of the period (exclusive), or null for the log's end.</param>
/// <param name="Agreement">The agreement the figures are limited to, or null for all.</param>
/// <param name="Alerts">Alerts raised in the period.</param>
/// <param name="Incidents">Incidents opened in the period (drills excluded).</param>
/// <param name="Drills">Drills opened in the period (never counted as incidents).</param>
/// <param name="TimeToDetect">From the first anomalous entry to its alert, per alert.</param>
/// <param name="TimeToContain">From an alert to the seal of its recipient, per contained alert.</param>
/// <param name="TimeToNotify">From an incident's detection to each notification given, per notification.</param>
/// <param name="Uncontained">Alerts whose recipient was not sealed after them.</param>
/// <param name="DataExposureEvents">Alerts during which rows left before containment.</param>
/// <param name="RowsBeforeContainment">Rows that left from the first anomalous entry of an alert to its containment.</param>
/// <param name="BytesBeforeContainment">Bytes that left in the same spans.</param>
/// <param name="AggregateQueries">Noisy aggregate queries answered in the period (<c>gateway.aggregate-query/v1</c>), of the agreement when one is named.</param>
/// <param name="RhoSpent">The privacy budget they spent: their zCDP ρ added up, as an exact fraction (<c>0</c> when none).</param>
// CAUTION: persisted/public format (`concordat kpi --json`); see docs/design/incidents.md#kpis
public sealed record KpiReport(
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Agreement,
    int Alerts,
    int Incidents,
    int Drills,
    KpiDurations TimeToDetect,
    KpiDurations TimeToContain,
    KpiDurations TimeToNotify,
    int Uncontained,
    int DataExposureEvents,
    long RowsBeforeContainment,
    long BytesBeforeContainment,
    int AggregateQueries,
    string RhoSpent);
