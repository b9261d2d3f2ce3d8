using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Amendments;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Gateway.Diligence;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// <c>POST /v1/agreements</c> (upload a version with its signatures; activated only when valid and fully signed;
/// a new version supersedes the old one), <c>GET /v1/agreements</c> and
/// <c>GET /v1/agreements/{agreementId}/diff?from=&amp;to=</c> (the semantic diff of two stored versions) and
/// <c>POST /v1/agreements/{agreementId}/terminations</c> (a signed termination of the version in force).
/// </summary>
internal static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOperatorGroup("/v1/agreements", "Agreements");
        group.MapPost("/", UploadAgreementAsync).WithName("UploadAgreement").WithSummary("Upload an agreement version and its signatures; activate it when valid and fully signed")
            .ProducesProblems(Status400BadRequest, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/", ListAgreementsAsync).WithName("ListAgreements").WithSummary("List stored agreement versions and their states");
        group.MapGet("/{agreementId}/diff", DiffAsync).WithName("DiffAgreementVersions").WithSummary("The semantic diff of two stored versions: changes classed widening, narrowing or neutral, and whether the newer grants more")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status422UnprocessableEntity);
        group.MapPost("/{agreementId}/terminations", UploadTerminationAsync).WithName("UploadTermination").WithSummary("Upload a signed termination of the version in force; it is enforced from its effective instant, on every replica")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Results<Created<AgreementSummary>, ProblemHttpResult>> UploadAgreementAsync(
        AgreementUpload upload, HttpContext context, IRegistryStore store, AgreementChecker checker, PolicyState policy, DatasetStore datasets, DiligenceBook diligence, DiligenceWatch diligenceWatch, GatewayJournal journal, ILogger<AgreementSummary> logger)
    {
        var caller = context.Caller();
        if (string.IsNullOrEmpty(upload.Document))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "`document` (the agreement's YAML source) is required", caller).ConfigureAwait(false);
        }

        var document = Encoding.UTF8.GetBytes(upload.Document);
        var signatures = AgreementChecker.Split(upload.Signatures ?? string.Empty, out var signatureProblems);
        var check = checker.Check(document, signatures);
        var diagnostics = signatureProblems.Concat(check.Diagnostics).Select(d => d.ToString()).ToList();
        if (!check.IsEnforceable)
        {
            var detail = check.IsFullySigned || check.Agreement is null
                ? "the agreement is not valid"
                : "the agreement is not signed by every required party and approver, or a signature does not match its digest";
            var extensions = new Dictionary<string, object?> { ["diagnostics"] = diagnostics };
            if (check.Agreement is not { } rejected || check.Digest is not { } digest)
            {
                // A document that does not read has no id, version or digest to name: its rejection is a refusal entry.
                return await journal.RefuseAsync(context, ProblemCode.AgreementRejected, detail, caller, extensions: extensions).ConfigureAwait(false);
            }

            // A valid amendment not yet signed by everyone is not enforced, and the version in force stays so; its
            // refusal still names both digests and the diff's digest, so the log says what was proposed and refused.
            var proposed = !check.IsFullySigned ? await AgreementAmendments.AgainstInForceAsync(store, rejected, context.RequestAborted).ConfigureAwait(false) : null;
            var entry = new AgreementEntry(journal.Now, rejected.Id.Value, rejected.Version, digest.ToString(), "rejected", proposed?.Supersedes, check.Diagnostics.Select(d => d.Code).Distinct().ToList(), SupersedesDigest: proposed?.SupersedesDigest, DiffDigest: proposed?.DiffDigest, GrantsMore: proposed?.GrantsMore);
            if (proposed?.Verdict is { } verdict)
            {
                // Re-consent: whoever collects the missing signatures sees what they would agree to, loud when it widens.
                detail += $"; version {proposed.Supersedes} stays in force; against it this version: {verdict}";
            }

            return await journal.AppendAsync(context, entry).ConfigureAwait(false) ?? Problem.Of(ProblemCode.AgreementRejected, detail, extensions: extensions);
        }

        var agreement = check.Agreement!;

        // Security: a version that requires due diligence is not stored, so never enforced, until every record is held.
        if (diligence.Unmet(agreement, journal.Now) is { Count: > 0 } unmet)
        {
            // One diagnostic per requirement not met, as other problems carry them; `diligence` says the same for programs.
            var extensions = new Dictionary<string, object?>
            {
                ["diligence"] = unmet,
                ["diagnostics"] = unmet.Select(u => new Diagnostic(ProblemCode.DiligenceUnmet.Code, DiagnosticSeverity.Error, u.Message).ToString()).ToList(),
            };
            return await journal.RefuseAsync(context, ProblemCode.DiligenceUnmet, $"agreement `{agreement.Id}` version {agreement.Version} requires due diligence not met: {string.Join("; ", unmet.Select(u => u.Message))}", caller, extensions: extensions).ConfigureAwait(false);
        }

        var record = new AgreementVersionRecord(agreement.Id, agreement.Version, check.Digest!.Value, document, signatures, AgreementVersionState.Pending, journal.Now, null);
        if (!await store.AddAgreementVersionAsync(record, context.RequestAborted).ConfigureAwait(false))
        {
            return Problem.Of(ProblemCode.Conflict, $"agreement `{agreement.Id}` version {agreement.Version} is already stored: a change needs a new version");
        }

        // Invariant: the activation is logged before it takes effect, naming the version it supersedes, both digests
        // and the diff's digest, so that the log alone says what each amendment changed.
        var amendment = await AgreementAmendments.AgainstInForceAsync(store, agreement, context.RequestAborted).ConfigureAwait(false);
        var activated = new AgreementEntry(journal.Now, agreement.Id.Value, agreement.Version, record.Digest.ToString(), "active", amendment?.Supersedes, [], SupersedesDigest: amendment?.SupersedesDigest, DiffDigest: amendment?.DiffDigest, GrantsMore: amendment?.GrantsMore);
        if (await journal.AppendAsync(context, activated).ConfigureAwait(false) is { } pushback)
        {
            return pushback;
        }

        int? superseded;
        try
        {
            superseded = await store.ActivateAgreementVersionAsync(agreement.Id, agreement.Version, journal.Now, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return Problem.Of(ProblemCode.Conflict, $"agreement `{agreement.Id}` version {agreement.Version} is older than the version in force");
        }

        foreach (var party in agreement.Parties)
        {
            await store.PutPartyAsync(new PartyRecord(party.Id, party.LegalName, journal.Now), context.RequestAborted).ConfigureAwait(false);
        }

        await policy.ReloadAsync(context.RequestAborted).ConfigureAwait(false);

        // The version now in force may rely on a record another version relied on already: judge every record at once.
        await diligenceWatch.TryCheckAsync(context.RequestAborted).ConfigureAwait(false);
        LogMessages.AgreementStored(logger, agreement.Id.Value, agreement.Version, superseded is null ? "active" : $"active, supersedes version {superseded}");
        var summary = new AgreementSummary(agreement.Id.Value, agreement.Version, record.Digest.ToString(), "active", superseded, diagnostics, Warnings: StaleDatasets(agreement, datasets), DiffDigest: amendment?.DiffDigest, GrantsMore: amendment?.GrantsMore, Verdict: amendment?.Verdict);
        return TypedResults.Created($"/v1/agreements/{agreement.Id}/versions/{agreement.Version}", summary);
    }

    internal static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> DiffAsync(string agreementId, int? from, int? to, HttpContext context, IRegistryStore store, GatewayJournal journal)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(agreementId) || from is not > 0 || to is not > 0)
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "give a valid agreement id and `from` and `to` versions (numbers from 1)", caller).ConfigureAwait(false);
        }

        var id = new AgreementId(agreementId);
        var before = await store.GetAgreementVersionAsync(id, from.Value, context.RequestAborted).ConfigureAwait(false);
        var after = await store.GetAgreementVersionAsync(id, to.Value, context.RequestAborted).ConfigureAwait(false);
        if (before is null || after is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"agreement `{agreementId}` version {(before is null ? from : to)} is not stored", caller).ConfigureAwait(false);
        }

        if (AgreementAmendments.Read(before) is not { } old || AgreementAmendments.Read(after) is not { } @new)
        {
            return Problem.Of(ProblemCode.DiffNotDecided, $"a stored version of agreement `{agreementId}` no longer reads");
        }

        if (!AgreementDiffer.TryCompare(old, @new, out var diff, out var problem))
        {
            return Problem.Of(ProblemCode.DiffNotDecided, problem.Message, extensions: new Dictionary<string, object?> { ["diagnostics"] = new[] { problem.ToString() } });
        }

        return TypedResults.Ok(AgreementDiffJson.Document(diff, old, @new));
    }

    internal static async Task<Results<Created<AgreementSummary>, ProblemHttpResult>> UploadTerminationAsync(
        string agreementId, TerminationUpload upload, HttpContext context, IRegistryStore store, AgreementChecker checker, PolicyState policy, GatewayJournal journal, ILogger<AgreementSummary> logger)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(agreementId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the agreement id is not valid", caller).ConfigureAwait(false);
        }

        if (string.IsNullOrEmpty(upload.Termination))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "`termination` (the termination record) is required", caller).ConfigureAwait(false);
        }

        var termination = TerminationFile.Read(upload.Termination, "termination.json", out var problems);
        if (termination is null || termination.Agreement.Value != agreementId)
        {
            var detail = termination is null ? "the termination record is malformed" : $"the termination record is for `{termination.Agreement}`, not `{agreementId}`";
            return await RejectTerminationAsync(context, journal, caller, detail, problems).ConfigureAwait(false);
        }

        var version = await store.GetAgreementVersionAsync(termination.Agreement, termination.Version, context.RequestAborted).ConfigureAwait(false);
        if (version is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"agreement `{agreementId}` version {termination.Version} is not stored", caller).ConfigureAwait(false);
        }

        var check = checker.Check(version.Document, version.Signatures);
        var now = journal.Now;
        var problem = version.State != AgreementVersionState.Active || check.Agreement is null
            ? AgreementDiagnosticCodes.TerminationInvalid.Error($"agreement `{agreementId}` version {termination.Version} is not in force", null, null)
            : version.TerminatesAt is not null
                ? AgreementDiagnosticCodes.TerminationInvalid.Error($"agreement `{agreementId}` version {termination.Version} has a termination already: it is recorded once", null, null)
                : TerminationFile.Check(termination, check.Agreement, checker.TrustedKeys()) ?? TerminationFile.CheckNotice(check.Agreement, termination.EffectiveAt, now);
        if (problem is not null)
        {
            return await RejectTerminationAsync(context, journal, caller, problem.Message, [problem]).ConfigureAwait(false);
        }

        // Invariant: the termination is logged before it is recorded, and so before any replica enforces it.
        var entry = new AgreementEntry(now, agreementId, version.Version, version.Digest.ToString(), "terminated", null, [], termination.EffectiveAt);
        if (await journal.AppendAsync(context, entry).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        if (!await store.TerminateAgreementVersionAsync(version.Id, version.Version, upload.Termination, termination.EffectiveAt, context.RequestAborted).ConfigureAwait(false))
        {
            // Another replica recorded a termination, or a newer version, since the checks above.
            return await RejectTerminationAsync(context, journal, caller, $"agreement `{agreementId}` version {version.Version} is no longer in force, or has a termination already", []).ConfigureAwait(false);
        }

        await policy.ReloadAsync(context.RequestAborted).ConfigureAwait(false);
        var state = "terminated from " + Rfc3339.Format(termination.EffectiveAt);
        LogMessages.AgreementStored(logger, agreementId, version.Version, state);
        var summary = new AgreementSummary(agreementId, version.Version, version.Digest.ToString(), "active", null, [], termination.EffectiveAt);
        return TypedResults.Created($"/v1/agreements/{agreementId}/versions/{version.Version}", summary);
    }

    private static Task<ProblemHttpResult> RejectTerminationAsync(HttpContext context, GatewayJournal journal, Caller caller, string detail, IReadOnlyList<Diagnostic> diagnostics) =>
        journal.RefuseAsync(context, ProblemCode.TerminationRejected, detail, caller, extensions: new Dictionary<string, object?> { ["diagnostics"] = diagnostics.Select(d => d.ToString()).ToList() });

    // The datasets whose newest imported version no longer matches the schema the agreement declares: their rows are
    // refused (GW6042) until a new version is imported.
    private static List<string>? StaleDatasets(Agreement agreement, DatasetStore datasets)
    {
        var stale = agreement.Datasets
            .Select(d => (Definition: d, Latest: datasets.GetLatest(d.Id)))
            .Where(d => d.Latest is { } latest && !latest.MatchesSchemaOf(d.Definition))
            .Select(d => $"dataset `{d.Definition.Id}` version {d.Latest!.Version} was imported under another schema: import a new version before its rows can be read")
            .ToList();
        return stale.Count == 0 ? null : stale;
    }

    internal static async Task<Ok<IReadOnlyList<AgreementSummary>>> ListAgreementsAsync(HttpContext context, IRegistryStore store)
    {
        var versions = await store.ListAgreementVersionsAsync(context.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<AgreementSummary> list = versions.Select(v => new AgreementSummary(v.Id.Value, v.Version, v.Digest.ToString(), v.State.ToString().ToLowerInvariant(), null, [], v.TerminatesAt)).ToList();
        return TypedResults.Ok(list);
    }
}
