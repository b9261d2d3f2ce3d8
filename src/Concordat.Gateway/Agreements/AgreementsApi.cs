using System.Text;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// <c>POST /v1/agreements</c> (upload a version with its signatures; activated only when valid and fully signed;
/// a new version supersedes the old one) and <c>GET /v1/agreements</c>.
/// </summary>
internal static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOperatorGroup("/v1/agreements", "Agreements");
        group.MapPost("/", UploadAgreementAsync).WithName("UploadAgreement").WithSummary("Upload an agreement version and its signatures; activate it when valid and fully signed")
            .ProducesProblems(Status400BadRequest, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/", ListAgreementsAsync).WithName("ListAgreements").WithSummary("List stored agreement versions and their states");
        return app;
    }

    internal static async Task<Results<Created<AgreementSummary>, ProblemHttpResult>> UploadAgreementAsync(
        AgreementUpload upload, HttpContext context, IRegistryStore store, AgreementChecker checker, PolicyState policy, GatewayJournal journal, ILogger<AgreementSummary> logger)
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

            var entry = new AgreementEntry(journal.Now, rejected.Id.Value, rejected.Version, digest.ToString(), "rejected", null, check.Diagnostics.Select(d => d.Code).Distinct().ToList());
            return await journal.AppendAsync(context, entry).ConfigureAwait(false) ?? Problem.Of(ProblemCode.AgreementRejected, detail, extensions: extensions);
        }

        var agreement = check.Agreement!;
        var record = new AgreementVersionRecord(agreement.Id, agreement.Version, check.Digest!.Value, document, signatures, AgreementVersionState.Pending, journal.Now, null);
        if (!await store.AddAgreementVersionAsync(record, context.RequestAborted).ConfigureAwait(false))
        {
            return Problem.Of(ProblemCode.Conflict, $"agreement `{agreement.Id}` version {agreement.Version} is already stored: a change needs a new version");
        }

        // Invariant: the activation is logged before it takes effect.
        var activated = new AgreementEntry(journal.Now, agreement.Id.Value, agreement.Version, record.Digest.ToString(), "active", null, []);
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
        LogMessages.AgreementStored(logger, agreement.Id.Value, agreement.Version, superseded is null ? "active" : $"active, supersedes version {superseded}");
        var summary = new AgreementSummary(agreement.Id.Value, agreement.Version, record.Digest.ToString(), "active", superseded, diagnostics);
        return TypedResults.Created($"/v1/agreements/{agreement.Id}/versions/{agreement.Version}", summary);
    }

    internal static async Task<Ok<IReadOnlyList<AgreementSummary>>> ListAgreementsAsync(HttpContext context, IRegistryStore store)
    {
        var versions = await store.ListAgreementVersionsAsync(context.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<AgreementSummary> list = versions.Select(v => new AgreementSummary(v.Id.Value, v.Version, v.Digest.ToString(), v.State.ToString().ToLowerInvariant(), null, [])).ToList();
        return TypedResults.Ok(list);
    }
}
