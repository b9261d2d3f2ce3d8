using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// Vulnerability and abuse report intake (<c>POST /v1/reports</c>), unauthenticated or from a recipient, rate limited per
/// source and size limited: the report's words are kept in the store (every replica reads them; the operator with
/// <c>GET /v1/reports/{reportId}/content</c>), a <c>gateway.report-received/v1</c> entry records their digest and the
/// deadlines, and an incident is opened to triage it. The reporter follows it up with the id and the secret returned
/// once (<c>GET /v1/reports/{reportId}</c>).
/// </summary>
internal static class ReportsApi
{
    /// <summary>The header that carries a report's follow-up secret.</summary>
    public const string SecretHeader = "Report-Secret";

    /// <summary>The folder of the workspace where reports were stored before the store kept them: still read, never written.</summary>
    public const string Folder = "reports";

    private const int MaxSummary = 200;
    private const int MaxDetails = 16_000;

    private static readonly JsonSerializerOptions s_stored = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1", "Incidents");
        group.MapPost("/reports", SubmitAsync).RequireRateLimiting(RateLimits.ReportsPolicy)
            .WithName("SubmitReport").WithSummary("Report a vulnerability or abuse, with or without credentials: an id, a follow-up secret given once, and the deadlines")
            .ProducesProblems(Status400BadRequest, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity, Status429TooManyRequests, Status503ServiceUnavailable);
        group.MapGet("/reports/{reportId}", StatusAsync).RequireRecipientRateLimit()
            .WithName("GetReportStatus").WithSummary("Where a report stands, for whoever holds its follow-up secret")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapGet("/reports/{reportId}/content", ContentAsync).RequireOperator()
            .WithName("GetReportContent").WithSummary("The reporter's words, for the operator, on any replica of the store")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Created<ReportReceipt>, ProblemHttpResult>> SubmitAsync(SubmitReportRequest request, [AsParameters] ReportServices s)
    {
        if (Check(request, s.Policy) is { } invalid)
        {
            return await RefuseAsync(s, ProblemCode.ReportInvalid, invalid).ConfigureAwait(false);
        }

        var now = s.Journal.Now;
        var kind = request.Kind!.ToLowerInvariant();
        var (acknowledgeBy, respondBy) = Deadlines(s.Policy.Agreements, request.Agreement, now);
        var id = Secrets.NewId("rep_");
        var secret = Secrets.NewRandomText();
        var reporter = s.Context.Caller().Recipient?.Value ?? "anonymous";
        var stored = JsonSerializer.SerializeToUtf8Bytes(new StoredReport(id, kind, reporter, request.Agreement, Rfc3339.Format(now), request.Summary!, request.Details), s_stored);

        // Security: the reporter's words may hold what must not spread (an unfixed flaw, personal data): they are kept in
        // the store, which only the operator reads, before the log commits to their digest.
        await s.Store.AddReportAsync(new ReportContentRecord(new ReportId(id), now, stored), s.Context.RequestAborted).ConfigureAwait(false);
        var incidentId = Secrets.NewId("inc_");

        // Security: the log holds the digests of the report and of the secret, never the reporter's words or the secret.
        var entry = new ReportReceivedEntry(now, id, incidentId, kind, reporter, request.Agreement, Sha256Digest.Compute(stored).ToString(),
            Sha256Digest.FromBytes(Secrets.Hash(secret)).ToString(), acknowledgeBy, respondBy);

        // A report opens no notification clock: it is not a breach until triage says so, and the reporter's words stay
        // out of the log.
        var triage = new IncidentOpenedEntry(now, incidentId, "medium", $"{kind} report `{id}`: for triage", AlertRaiser.UnassignedOwner, now, [], [], [], [], "gateway");
        try
        {
            return await s.Book.WithAsync<Results<Created<ReportReceipt>, ProblemHttpResult>>(async book =>
            {
                if (await book.AppendAsync(entry, s.Context).ConfigureAwait(false) is { } busy)
                {
                    await ForgetAsync(s, id).ConfigureAwait(false);
                    return busy;
                }

                await book.AppendAsync(triage, null).ConfigureAwait(false);
                s.Context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/v1/reports/{id}", new ReportReceipt(id, secret, now, acknowledgeBy, respondBy, "received"));
            }, s.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (IncidentBookUnavailableException)
        {
            await ForgetAsync(s, id).ConfigureAwait(false);
            return Problem.Of(ProblemCode.IncidentsUnavailable, "the incidents cannot be read from the log now: retry");
        }
    }

    internal static async Task<Results<Ok<ReportStatus>, ProblemHttpResult>> StatusAsync(string reportId, [FromHeader(Name = SecretHeader)] string? secret, [AsParameters] ReportServices s)
    {
        if (!Ids.IsValid(reportId))
        {
            return await RefuseAsync(s, ProblemCode.InvalidId, "the report id is not valid").ConfigureAwait(false);
        }

        if (string.IsNullOrEmpty(secret))
        {
            return await RefuseAsync(s, ProblemCode.ReportSecretMissing, $"send the report's follow-up secret as the `{SecretHeader}` header").ConfigureAwait(false);
        }

        var now = s.Journal.Now;
        try
        {
            var status = await s.Book.WithAsync(book => Task.FromResult(
                book.Reports.TryGetValue(reportId, out var report) && Secrets.Matches(secret, report.SecretSha256.ToBytes())
                    ? ReportStatus.Of(report, book.All.GetValueOrDefault(report.IncidentId), now)
                    : null), s.Context.RequestAborted).ConfigureAwait(false);

            // Security: an unknown id and a wrong secret get the same answer, so report ids cannot be probed.
            return status is null
                ? await RefuseAsync(s, ProblemCode.ReportNotFound, $"no report `{reportId}` with this secret").ConfigureAwait(false)
                : TypedResults.Ok(status);
        }
        catch (IncidentBookUnavailableException)
        {
            return Problem.Of(ProblemCode.IncidentsUnavailable, "the incidents cannot be read from the log now: retry");
        }
    }

    internal static async Task<Results<Ok<ReportContent>, ProblemHttpResult>> ContentAsync(string reportId, [AsParameters] ReportServices s)
    {
        if (!Ids.IsValid(reportId))
        {
            return await RefuseAsync(s, ProblemCode.InvalidId, "the report id is not valid").ConfigureAwait(false);
        }

        ReportRecord? report;
        try
        {
            report = await s.Book.WithAsync(book => Task.FromResult(book.Reports.GetValueOrDefault(reportId)), s.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (IncidentBookUnavailableException)
        {
            return Problem.Of(ProblemCode.IncidentsUnavailable, "the incidents cannot be read from the log now: retry");
        }

        // Invariant: only a report the log holds is shown, so words whose entry was never written stay unseen.
        if (report is null)
        {
            return await RefuseAsync(s, ProblemCode.ReportNotFound, $"no report `{reportId}`").ConfigureAwait(false);
        }

        var bytes = (await s.Store.FindReportAsync(new ReportId(reportId), s.Context.RequestAborted).ConfigureAwait(false))?.Document ?? ReadLegacy(s.Workspace, reportId);
        if (bytes is null || JsonSerializer.Deserialize<StoredReport>(bytes, s_stored) is not { } stored)
        {
            return await RefuseAsync(s, ProblemCode.ReportContentMissing, $"the words of report `{reportId}` are not held here: read them on the replica that took it").ConfigureAwait(false);
        }

        s.Context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ReportContent(report.Id, report.IncidentId, stored.Kind, stored.Reporter, stored.Agreement, report.ReceivedAt, stored.Summary, stored.Details,
            Sha256Digest.Compute(bytes).ToString()));
    }

    /// <summary>
    /// The deadlines a report gets at receipt: the earliest acknowledgement and response hours among the agreement it
    /// names, or among every agreement in force when it names none; none where no agreement sets them.
    /// </summary>
    internal static (DateTimeOffset? AcknowledgeBy, DateTimeOffset? RespondBy) Deadlines(IEnumerable<ActiveAgreement> inForce, string? named, DateTimeOffset receivedAt)
    {
        var terms = inForce.Select(a => a.Agreement).Where(a => named is null || a.Id.Value == named).Select(a => a.Incidents).OfType<IncidentTerms>().ToList();
        var acknowledge = terms.Select(t => t.VulnerabilityAcknowledgeHours).Min();
        var respond = terms.Select(t => t.VulnerabilityResponseHours).Min();
        return (acknowledge is { } a ? receivedAt.AddHours(a) : null, respond is { } r ? receivedAt.AddHours(r) : null);
    }

    private static string? Check(SubmitReportRequest request, PolicyState policy)
    {
        if (request.Kind is null || !(request.Kind.Equals("vulnerability", StringComparison.OrdinalIgnoreCase) || request.Kind.Equals("abuse", StringComparison.OrdinalIgnoreCase)))
        {
            return "`kind` must be `vulnerability` or `abuse`";
        }

        if (string.IsNullOrWhiteSpace(request.Summary))
        {
            return "`summary` is required";
        }

        if (request.Summary.Length > MaxSummary || request.Summary.Any(char.IsControl))
        {
            return $"`summary` is one line of at most {MaxSummary} characters";
        }

        if (request.Details is { Length: > MaxDetails })
        {
            return $"`details` is longer than {MaxDetails} characters";
        }

        if (request.Agreement is { } agreement && (!Ids.IsValid(agreement) || !policy.Agreements.Any(a => a.Agreement.Id.Value == agreement)))
        {
            return Ids.IsValid(agreement) ? $"agreement `{agreement}` is not in force" : "`agreement` is not a valid id";
        }

        return null;
    }

    // A report taken in before the store kept reports is in the workspace's folder of the replica that took it.
    private static byte[]? ReadLegacy(GatewayWorkspace workspace, string reportId)
    {
        try
        {
            return File.ReadAllBytes(Path.Combine(workspace.Directory, Folder, reportId + ".json"));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // The log holds no entry for these words: they are not kept. Not cancelled with the request, which may be gone.
    private static Task<bool> ForgetAsync(ReportServices s, string id) => s.Store.DeleteReportAsync(new ReportId(id), CancellationToken.None);

    private static async Task<ProblemHttpResult> RefuseAsync(ReportServices s, ProblemCode code, string detail) =>
        await s.Journal.RefuseAsync(s.Context, code, detail, s.Context.Caller()).ConfigureAwait(false);
}

/// <summary>The request and the services <see cref="ReportsApi"/> takes, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Book">The incidents and reports, folded from the log.</param>
/// <param name="Policy">The agreements in force (the deadlines).</param>
/// <param name="Store">Where the reports' words are kept, for every replica.</param>
/// <param name="Workspace">Where reports taken before the store kept them are read from.</param>
/// <param name="Journal">Writes the entries and refusals.</param>
internal sealed record ReportServices(
    HttpContext Context,
    [FromServices] IncidentBook Book,
    [FromServices] PolicyState Policy,
    [FromServices] IRegistryStore Store,
    [FromServices] GatewayWorkspace Workspace,
    [FromServices] GatewayJournal Journal);

/// <summary>A report as the store keeps it (and the workspace's folder kept it): the bytes whose SHA-256 the log holds.</summary>
// CAUTION: persisted format: the log's contentSha256 commits to these bytes; see docs/formats/gateway-entries.md
internal sealed record StoredReport(string Id, string Kind, string Reporter, string? Agreement, string ReceivedAt, string Summary, string? Details);
