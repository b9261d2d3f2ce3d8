using Concordat.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Security;
using Concordat.Incidents.Playbook;
using Concordat.Log;
using Concordat.Store;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// The incident playbook over HTTP: the operator opens incidents and records each act (seal, snapshot, notify,
/// remediate, close); the operator sees every incident, a recipient those that name it, with the notification clocks
/// counting down.
/// </summary>
internal static class IncidentsApi
{
    private const int MaxText = 4000;

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1", "Incidents");
        group.MapPost("/incidents", OpenAsync).RequireOperator().WithName("OpenIncident").WithSummary("Open an incident: severity, what is suspected, triage owner, what it affects")
            .ProducesProblems(Status400BadRequest, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/incidents", ListAsync).RequireRecipientRateLimit().WithName("ListIncidents").WithSummary("The incidents the caller may see, with their notification clocks")
            .ProducesProblems(Status401Unauthorized);
        group.MapGet("/incidents/{incidentId}", GetAsync).RequireRecipientRateLimit().WithName("GetIncident").WithSummary("One incident, its acts and its notification clocks")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapPost("/incidents/{incidentId}/acts", ActAsync).RequireOperator().WithName("ActOnIncident").WithSummary("Record one act of the playbook: acknowledge, seal, snapshot, notify, remediate or close")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/incidents/{incidentId}/postmortem", PostmortemAsync).RequireOperator().WithName("GetPostmortem").WithSummary("The blameless postmortem of a closed incident, its timeline from the log; without personal data on request")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status409Conflict);
        app.MapIndicatorsApi();
        app.MapReportsApi();
        return app;
    }

    internal static async Task<Results<Created<IncidentSummary>, ProblemHttpResult>> OpenAsync(OpenIncidentRequest request, [AsParameters] IncidentServices s)
    {
        var now = s.Journal.Now;
        var problem = await CheckOpenAsync(request, s, now).ConfigureAwait(false);
        if (problem is not null)
        {
            return await RefuseAsync(s, ProblemCode.IncidentInvalid, problem).ConfigureAwait(false);
        }

        var id = Secrets.NewId("inc_");
        var entry = new IncidentOpenedEntry(now, id, request.Severity!.ToLowerInvariant(), request.Suspected!, request.TriageOwner!, request.DetectedAt ?? now,
            request.Agreements ?? [], request.Recipients ?? [], request.Datasets ?? [], request.Alerts ?? [], "operator", s.Options.Value.IsDrill ? true : null);
        return await WithBookAsync<Created<IncidentSummary>>(s, async book =>
        {
            if (await book.AppendAsync(entry, s.Context).ConfigureAwait(false) is { } busy)
            {
                return busy;
            }

            return TypedResults.Created($"/v1/incidents/{id}", Summary(s, book, book.All[id], now));
        }).ConfigureAwait(false);
    }

    internal static async Task<Results<Ok<IncidentList>, ProblemHttpResult>> ListAsync([AsParameters] IncidentServices s)
    {
        var caller = s.Context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await s.Journal.RefuseAsync(s.Context, ProblemCode.Unauthenticated, "send the operator key or a recipient's token or client credentials", caller).ConfigureAwait(false);
        }

        var now = s.Journal.Now;
        return await WithBookAsync<Ok<IncidentList>>(s, book => Task.FromResult<Results<Ok<IncidentList>, ProblemHttpResult>>(TypedResults.Ok(new IncidentList(now, [.. book.All.Values
            .Where(i => caller.IsOperator || i.Concerns(caller.Recipient!.Value.Value))
            .OrderBy(i => i.OpenedAt)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .Select(i => Summary(s, book, i, now))])))).ConfigureAwait(false);
    }

    internal static async Task<Results<Ok<IncidentSummary>, ProblemHttpResult>> GetAsync(string incidentId, [AsParameters] IncidentServices s)
    {
        var caller = s.Context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await s.Journal.RefuseAsync(s.Context, ProblemCode.Unauthenticated, "send the operator key or a recipient's token or client credentials", caller).ConfigureAwait(false);
        }

        if (!Ids.IsValid(incidentId))
        {
            return await RefuseAsync(s, ProblemCode.InvalidId, "the incident id is not valid").ConfigureAwait(false);
        }

        var now = s.Journal.Now;
        return await WithBookAsync<Ok<IncidentSummary>>(s, async book =>
        {
            // Security: an incident that does not name the recipient is answered as one that does not exist.
            if (!book.All.TryGetValue(incidentId, out var incident) || (!caller.IsOperator && !incident.Concerns(caller.Recipient!.Value.Value)))
            {
                return await RefuseAsync(s, ProblemCode.IncidentNotFound, $"no incident `{incidentId}`").ConfigureAwait(false);
            }

            return TypedResults.Ok(Summary(s, book, incident, now));
        }).ConfigureAwait(false);
    }

    internal static async Task<Results<Ok<IncidentActResponse>, ProblemHttpResult>> ActAsync(string incidentId, IncidentActRequest request, [AsParameters] IncidentServices s)
    {
        if (!Ids.IsValid(incidentId))
        {
            return await RefuseAsync(s, ProblemCode.InvalidId, "the incident id is not valid").ConfigureAwait(false);
        }

        var now = s.Journal.Now;
        if (CheckAct(request, now) is { } invalid)
        {
            return await RefuseAsync(s, ProblemCode.IncidentInvalid, invalid).ConfigureAwait(false);
        }

        var kind = Enum.Parse<IncidentActKind>(request.Act!, ignoreCase: true);

        // Invariant: the incident's store lock is held from the check to the durable entry, so an act on another
        // replica at the same instant is checked against this one (the book catches up under the lock) and refused
        // there when it no longer applies, rather than answered 200 and then ignored by the fold.
        var (held, unavailable) = await s.Engine.TryLockAsync(LockName(incidentId), s.Context).ConfigureAwait(false);
        if (unavailable is not null)
        {
            return unavailable;
        }

        await using var release = held!.ConfigureAwait(false);
        return await WithBookAsync<Ok<IncidentActResponse>>(s, async book =>
        {
            if (!book.All.TryGetValue(incidentId, out var incident))
            {
                return await RefuseAsync(s, ProblemCode.IncidentNotFound, $"no incident `{incidentId}`").ConfigureAwait(false);
            }

            var at = kind == IncidentActKind.Notify ? request.GivenAt ?? now : now;
            if (incident.TryApply(new IncidentAct(kind, at, request.Actor!, request.Detail, request.Whom), out var refused) is null)
            {
                return await RefuseAsync(s, ProblemCode.IncidentActRefused, refused!).ConfigureAwait(false);
            }

            var done = await DoAsync(kind, incident, request, s).ConfigureAwait(false);
            if (done.Problem is { } problem)
            {
                return problem;
            }

            var entry = new IncidentActEntry(now, incidentId, IncidentSummary.Name(kind), request.Actor!, done.Detail ?? request.Detail, request.Whom,
                kind == IncidentActKind.Notify ? at : null, request.RootCause, request.Fixes, request.PolicyChanges);
            if (await book.AppendAsync(entry, s.Context).ConfigureAwait(false) is { } busy)
            {
                return busy;
            }

            return TypedResults.Ok(new IncidentActResponse(Summary(s, book, book.All[incidentId], now), done.Seals, done.Snapshot, done.SnapshotDirectory));
        }).ConfigureAwait(false);
    }

    internal static async Task<Results<Ok<Postmortem>, ProblemHttpResult>> PostmortemAsync(string incidentId, bool? withoutPersonalData, [AsParameters] IncidentServices s)
    {
        if (!Ids.IsValid(incidentId))
        {
            return await RefuseAsync(s, ProblemCode.InvalidId, "the incident id is not valid").ConfigureAwait(false);
        }

        Incident? incident;
        try
        {
            incident = await s.Book.WithAsync(book => Task.FromResult(book.All.GetValueOrDefault(incidentId)), s.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (IncidentBookUnavailableException)
        {
            return Problem.Of(ProblemCode.IncidentsUnavailable, "the incidents cannot be read from the log now: retry");
        }

        if (incident is null)
        {
            return await RefuseAsync(s, ProblemCode.IncidentNotFound, $"no incident `{incidentId}`").ConfigureAwait(false);
        }

        if (incident.IsOpen)
        {
            return await RefuseAsync(s, ProblemCode.IncidentOpen, $"incident `{incidentId}` is open: close it with its root cause first").ConfigureAwait(false);
        }

        // The timeline reads the whole log, page by page: an operator's request, once per postmortem.
        var entries = new List<(long Index, LogEntry Entry)>();
        CloseAct? close = null;
        for (var start = 0L; ; start += 1000)
        {
            var page = await s.Log.ReadEntriesAsync(start, 1000, s.Context.RequestAborted).ConfigureAwait(false);
            foreach (var (index, bytes) in page)
            {
                if (LogEntry.TryParse(bytes, out var entry, out _))
                {
                    entries.Add((index, entry));
                    close = CloseAct.TryRead(entry, incidentId) ?? close;
                }
            }

            if (page.Count < 1000)
            {
                break;
            }
        }

        var postmortem = new Postmortem(incidentId, close?.RootCause ?? string.Empty, Postmortem.TimelineFrom(incident, entries), close?.Fixes ?? [], close?.PolicyChanges ?? []);
        return TypedResults.Ok(withoutPersonalData == true ? postmortem.WithoutPersonalData(incident) : postmortem);
    }

    private static async Task<(string? Detail, IReadOnlyList<SealResponse>? Seals, ForensicSnapshotManifest? Snapshot, string? SnapshotDirectory, ProblemHttpResult? Problem)> DoAsync(
        IncidentActKind kind, Incident incident, IncidentActRequest request, IncidentServices s)
    {
        switch (kind)
        {
            case IncidentActKind.Seal:
                var seals = new List<SealResponse>();
                foreach (var recipient in incident.Recipients)
                {
                    var reason = $"incident `{incident.Id}`: {request.Detail ?? "sealed by the playbook"}";
                    var outcome = await s.Sealer.SealAsync(new PartyId(recipient), reason, new SealCause(null, incident.Id), entry => s.Journal.AppendAsync(s.Context, entry)).ConfigureAwait(false);
                    if (outcome.Busy is { } busy)
                    {
                        return (null, null, null, null, busy);
                    }

                    var act = outcome.Act;
                    seals.Add(new SealResponse(recipient, act.Seal.SealedAt, reason, act.TokensRevoked, act.IdentitiesRevoked, outcome.StreamsStopped, outcome.EnforcementMilliseconds, act.WasSealed));
                }

                return ($"sealed {string.Join(", ", seals.Select(x => $"`{x.Recipient}`"))}", seals, null, null, null);
            case IncidentActKind.Snapshot:
                // The export ends at the latest signed checkpoint: sign one now, so it carries every entry so far.
                await s.Log.ReadCheckpointAsync(s.Context.RequestAborted).ConfigureAwait(false);
                var directory = Path.Combine(s.Workspace.Directory, "incidents");
                var (manifest, error) = await ForensicSnapshot.TakeAsync(s.Log.OpenStorage, incident, directory, s.Context.RequestAborted).ConfigureAwait(false);
                return manifest is null
                    ? (null, null, null, null, await RefuseAsync(s, ProblemCode.SnapshotTaken, error!).ConfigureAwait(false))
                    : ($"{manifest.Export} {manifest.ExportSha256} at tree size {manifest.TreeSize}", null, manifest, directory, null);
            default:
                return (null, null, null, null, null);
        }
    }

    /// <summary>The store lock of one incident's acts, shared by every replica.</summary>
    internal static StoreLockName LockName(string incidentId) => new($"incident\n{incidentId}");

    private static async Task<string?> CheckOpenAsync(OpenIncidentRequest request, IncidentServices s, DateTimeOffset now)
    {
        if (!IsName<IncidentSeverity>(request.Severity))
        {
            return "`severity` must be `low`, `medium`, `high` or `critical`";
        }

        if ((Text(request.Suspected, "suspected") ?? Text(request.TriageOwner, "triageOwner")) is { } missing)
        {
            return missing;
        }

        if (request.DetectedAt > now)
        {
            return "`detectedAt` is in the future";
        }

        if ((request.Agreements ?? []).Concat(request.Recipients ?? []).Concat(request.Datasets ?? []).FirstOrDefault(id => !Ids.IsValid(id)) is { } bad)
        {
            return $"`{(bad.Length > 64 ? bad[..64] : bad)}` is not a valid id";
        }

        var inForce = s.Policy.Agreements.Select(a => a.Agreement.Id.Value).ToHashSet(StringComparer.Ordinal);
        if ((request.Agreements ?? []).FirstOrDefault(a => !inForce.Contains(a)) is { } unknown)
        {
            return $"agreement `{unknown}` is not in force";
        }

        var parties = (await s.Store.ListPartiesAsync(s.Context.RequestAborted).ConfigureAwait(false)).Select(p => p.Id.Value).ToHashSet(StringComparer.Ordinal);
        if ((request.Recipients ?? []).FirstOrDefault(r => !parties.Contains(r)) is { } stranger)
        {
            return $"no party `{stranger}`: name a recipient of an agreement uploaded here";
        }

        return (request.Alerts ?? []).Any(a => a < 0) ? "`alerts` are log indexes: whole numbers from 0" : null;
    }

    private static string? CheckAct(IncidentActRequest request, DateTimeOffset now)
    {
        if (!IsName<IncidentActKind>(request.Act))
        {
            return "`act` must be `acknowledge`, `seal`, `snapshot`, `notify`, `remediate` or `close`";
        }

        var kind = Enum.Parse<IncidentActKind>(request.Act!, ignoreCase: true);
        return Text(request.Actor, "actor")
            ?? (request.Detail is { Length: > MaxText } ? $"`detail` is longer than {MaxText} characters" : null)
            ?? (request.GivenAt > now ? "`givenAt` is in the future" : null)
            ?? (kind == IncidentActKind.Remediate ? Text(request.Detail, "detail") : null)
            ?? (kind == IncidentActKind.Close ? Text(request.RootCause, "rootCause") : null);
    }

    // Only a name of the enum: not a number, nor a comma-separated list, which Enum.TryParse would also take.
    private static bool IsName<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is not null && Enum.GetNames<TEnum>().Contains(value, StringComparer.OrdinalIgnoreCase);

    private static string? Text(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? $"`{name}` is required"
        : value.Length > MaxText ? $"`{name}` is longer than {MaxText} characters"
        : null;

    private static IncidentSummary Summary(IncidentServices s, IncidentBook.IncidentView book, Incident incident, DateTimeOffset now)
    {
        var affected = s.Policy.Agreements.Where(a => incident.Agreements.Contains(a.Agreement.Id.Value, StringComparer.Ordinal)).Select(a => a.Agreement).ToList();
        var clocks = NotificationClocks.Compute(incident.DetectedAt, affected);
        return IncidentSummary.Of(incident, book.IsDrill(incident.Id), incident.Notifications(clocks, now), ServiceLevelClocks.Compute(incident, affected), now);
    }

    private static async Task<Results<TOk, ProblemHttpResult>> WithBookAsync<TOk>(IncidentServices s, Func<IncidentBook.IncidentView, Task<Results<TOk, ProblemHttpResult>>> action)
        where TOk : IResult
    {
        try
        {
            return await s.Book.WithAsync(action, s.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (IncidentBookUnavailableException)
        {
            // Security: no detail of the cause reaches the caller; the next request reads the log again.
            return Problem.Of(ProblemCode.IncidentsUnavailable, "the incidents cannot be read from the log now: retry");
        }
    }

    /// <summary>The postmortem's words, from the incident's close act entry.</summary>
    private sealed record CloseAct(string RootCause, IReadOnlyList<string> Fixes, IReadOnlyList<string> PolicyChanges)
    {
        public static CloseAct? TryRead(LogEntry entry, string incidentId)
        {
            var body = entry.Body;
            if (entry.Type != IncidentLog.ActType || body.ValueKind != System.Text.Json.JsonValueKind.Object
                || Member(body, "incidentId") != incidentId || Member(body, "act") != "close")
            {
                return null;
            }

            return new CloseAct(Member(body, "rootCause") ?? string.Empty, Members(body, "fixes"), Members(body, "policyChanges"));
        }

        private static string? Member(System.Text.Json.JsonElement body, string name) =>
            body.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;

        private static List<string> Members(System.Text.Json.JsonElement body, string name) =>
            body.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Array
                ? [.. v.EnumerateArray().Where(x => x.ValueKind == System.Text.Json.JsonValueKind.String).Select(x => x.GetString()!)]
                : [];
    }

    private static async Task<ProblemHttpResult> RefuseAsync(IncidentServices s, ProblemCode code, string detail) =>
        await s.Journal.RefuseAsync(s.Context, code, detail, s.Context.Caller()).ConfigureAwait(false);
}
