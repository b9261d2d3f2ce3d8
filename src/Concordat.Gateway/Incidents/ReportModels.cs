using System.Text.Json;
using Concordat.Core;
using Concordat.Incidents.Playbook;
using Concordat.Log;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// A vulnerability or abuse report: its <c>kind</c> (<c>vulnerability</c> or <c>abuse</c>), a one-line
/// <c>summary</c>, the <c>details</c>, and the agreement it concerns when the reporter knows it.
/// </summary>
internal sealed record SubmitReportRequest(string? Kind, string? Summary, string? Details, string? Agreement);

/// <summary>
/// A report taken in: its id, the follow-up <c>secret</c> (given once: only its SHA-256 is kept), when it was received,
/// and the acknowledgement and response deadlines the agreements' terms set (absent when none sets one).
/// </summary>
internal sealed record ReportReceipt(string Id, string Secret, DateTimeOffset ReceivedAt, DateTimeOffset? AcknowledgeBy, DateTimeOffset? RespondBy, string Status);

/// <summary>
/// Where a report stands, for its reporter: <c>received</c>, <c>acknowledged</c> (its incident's first act),
/// <c>responded</c> (a remediation or the close) or <c>closed</c>; each deadline with when it was met, and whether one was
/// missed (<c>isBreached</c>: met late, or past and not met).
/// </summary>
internal sealed record ReportStatus(
    string Id,
    string Kind,
    DateTimeOffset ReceivedAt,
    string State,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? RespondBy,
    DateTimeOffset? RespondedAt,
    DateTimeOffset? ClosedAt,
    bool IsBreached)
{
    public static ReportStatus Of(ReportRecord report, Incident? incident, DateTimeOffset now)
    {
        var acts = incident?.Acts ?? [];
        var acknowledged = acts.Count > 0 ? acts[0].At : (DateTimeOffset?)null;
        var responded = acts.FirstOrDefault(a => a.Kind is IncidentActKind.Remediate or IncidentActKind.Close)?.At;
        var closed = acts.FirstOrDefault(a => a.Kind == IncidentActKind.Close)?.At;
        var state = closed is not null ? "closed" : responded is not null ? "responded" : acknowledged is not null ? "acknowledged" : "received";
        var breached = Late(report.AcknowledgeBy, acknowledged, now) || Late(report.RespondBy, responded, now);
        return new ReportStatus(report.Id, report.Kind, report.ReceivedAt, state, report.AcknowledgeBy, acknowledged, report.RespondBy, responded, closed, breached);
    }

    private static bool Late(DateTimeOffset? due, DateTimeOffset? met, DateTimeOffset now) => due is { } d && (met ?? now) > d;
}

/// <summary>
/// A report's words, for the operator: the incident opened to triage it, the <c>kind</c>, who sent it
/// (<c>reporter</c>: <c>anonymous</c> or a recipient), the agreement it names, when it was received, the <c>summary</c>
/// and <c>details</c>, and the SHA-256 of the report as kept (<c>contentSha256</c>, the same as in its log entry).
/// </summary>
internal sealed record ReportContent(string Id, string IncidentId, string Kind, string Reporter, string? Agreement, DateTimeOffset ReceivedAt, string Summary, string? Details, string ContentSha256);

/// <summary>
/// A report as its <c>gateway.report-received/v1</c> entry records it: what the follow-up status is computed from.
/// </summary>
/// <param name="Id">The report id (<c>rep_...</c>).</param>
/// <param name="IncidentId">The incident opened to triage it.</param>
/// <param name="Kind">The kind: <c>vulnerability</c> or <c>abuse</c>.</param>
/// <param name="ReceivedAt">When it was received (the entry's time).</param>
/// <param name="SecretSha256">The SHA-256 of the follow-up secret.</param>
/// <param name="AcknowledgeBy">The acknowledgement deadline, when an agreement sets one.</param>
/// <param name="RespondBy">The response deadline, when an agreement sets one.</param>
internal sealed record ReportRecord(string Id, string IncidentId, string Kind, DateTimeOffset ReceivedAt, Sha256Digest SecretSha256, DateTimeOffset? AcknowledgeBy, DateTimeOffset? RespondBy)
{
    /// <summary>The entry type of a report taken in.</summary>
    public const string EntryType = "gateway.report-received/v1";

    /// <summary>Reads a report from its entry; null for any other entry, or one that lacks a member.</summary>
    public static ReportRecord? TryRead(LogEntry entry)
    {
        var body = entry.Body;
        if (entry.Type != EntryType || body.ValueKind != JsonValueKind.Object
            || JsonMembers.Text(body, "reportId") is not { } id || JsonMembers.Text(body, "incidentId") is not { } incident || JsonMembers.Text(body, "kind") is not { } kind
            || !Sha256Digest.TryParse(JsonMembers.Text(body, "secretSha256"), out var secret))
        {
            return null;
        }

        return new ReportRecord(id, incident, kind, entry.Time, secret, Time(body, "acknowledgeBy"), Time(body, "respondBy"));
    }

    private static DateTimeOffset? Time(JsonElement body, string name) =>
        Rfc3339.TryParseUtc(JsonMembers.Text(body, name), out var at, out _) ? at : null;
}
