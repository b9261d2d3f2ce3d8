using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Egress;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Security;
using Concordat.Privacy;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// <c>GET /v1/datasets/{datasetId}/rows</c> (egress), <c>GET /v1/receipts/{decisionId}</c> and
/// <c>POST /v1/datasets/{datasetId}/versions</c> (import, operator).
/// </summary>
internal static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1", "Datasets");
        group.MapGet("/datasets/{datasetId}/rows", ReadRowsAsync).RequireRecipientRateLimit()
            .WithName("ReadRows").WithSummary("Stream rows as CSV or NDJSON, with the decision's obligations applied to every row")
            .ProducesProblems(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status404NotFound, Status406NotAcceptable);
        group.MapGet("/receipts/{decisionId}", ReadReceiptAsync).RequireRecipientRateLimit()
            .WithName("ReadReceipt").WithSummary("The rows, bytes and SHA-256 of what left under an egress decision")
            .ProducesProblems(Status400BadRequest, Status401Unauthorized, Status404NotFound);
        group.MapPost("/datasets/{datasetId}/versions", ImportVersionAsync).RequireOperator()
            .Accepts<string>("text/csv", "application/x-ndjson")
            .WithName("ImportDatasetVersion").WithSummary("Import a dataset version (CSV or NDJSON) against the schema its agreement declares")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Results<EgressResult, ProblemHttpResult>> ReadRowsAsync(
        string datasetId, HttpContext context, IRegistryStore store, StreamRegistry streams, DecisionService decisions, DatasetStore datasets, GatewayWorkspace workspace, GatewayJournal journal)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(datasetId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the dataset id is not valid", caller).ConfigureAwait(false);
        }

        // Invariant: authentication refused revoked and expired tokens and sealed recipients before this handler.
        if (caller.Token is not { } token)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send `Authorization: Bearer <token>` from POST /v1/tokens", caller).ConfigureAwait(false);
        }

        var now = journal.Now;
        if (token.Dataset.Value != datasetId)
        {
            return await journal.RefuseAsync(context, ProblemCode.WrongDataset, $"the token was issued for another dataset, not `{datasetId}`", caller).ConfigureAwait(false);
        }

        if (!TryNegotiate(context.Request, out var format))
        {
            return await journal.RefuseAsync(context, ProblemCode.NotAcceptable, "accept `text/csv` or `application/x-ndjson`", caller).ConfigureAwait(false);
        }

        // Every egress is decided again now: the window may have closed, the agreement may have changed.
        var identity = await store.FindIdentityAsync(token.ClientId, context.RequestAborted).ConfigureAwait(false);
        var decision = decisions.DecideAccess(new DecisionRequest(token.Recipient, DataAction.ReadRows, token.Dataset, token.Purpose, token.Jurisdiction, token.Subprocessor, now, identity?.Role));

        // Invariant: no byte leaves before the decision entry is durable.
        if (await journal.AppendAsync(context, decision.ToEntry(token.ClientId), decision.Id).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        if (!decision.IsPermit)
        {
            var reasons = decision.ReasonsFor(token.Recipient);
            return Problem.Of(ProblemCode.Denied, string.Join("; ", reasons), decision.Id.Value, new Dictionary<string, object?> { ["reasons"] = reasons });
        }

        if (decision.Agreement!.Digest != token.AgreementDigest)
        {
            return await journal.RefuseAsync(context, ProblemCode.AgreementChanged, "the agreement in force is not the one the token was issued under: ask for a new token", caller, decision.Id).ConfigureAwait(false);
        }

        var agreement = decision.Agreement!.Agreement;
        var definition = agreement.Datasets.First(d => d.Id == token.Dataset);
        var manifest = datasets.GetLatest(token.Dataset);
        if (manifest is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"dataset `{datasetId}` has no imported version yet", caller, decision.Id).ConfigureAwait(false);
        }

        var obligations = decision.Decision.Obligations;
        var pseudonymKey = obligations.FieldRules.Any(r => r.Kind == FieldRuleKind.Pseudonymise)
            ? PseudonymKey.Derive(workspace.PseudonymKey, token.Recipient, token.Dataset)
            : null;
        var rowRules = obligations.RequireConsent || obligations.Residency is not null ? new RowRules(obligations.RequireConsent, obligations.Residency ?? []) : null;
        if (!EgressPlan.TryCompile(definition, obligations.FieldRules, rowRules, AcceptedPurposes(agreement, token.Purpose), rowRules is null ? null : Jurisdiction.ExpandGroups(rowRules.Residency), pseudonymKey, out var plan, out var problems))
        {
            pseudonymKey?.Dispose();

            // Security: fail closed; rules the gateway cannot carry out never let rows leave.
            var details = new Dictionary<string, object?> { ["diagnostics"] = problems.Select(d => d.ToString()).ToList() };
            return await journal.RefuseAsync(context, ProblemCode.Denied, "the agreement's rules cannot be carried out on this dataset", caller, decision.Id, details).ConfigureAwait(false);
        }

        return new EgressResult(plan, manifest, format, token, decision.Id);
    }

    internal static async Task<Results<Ok<ReceiptResponse>, ProblemHttpResult>> ReadReceiptAsync(string decisionId, HttpContext context, IRegistryStore store, GatewayJournal journal)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(decisionId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the decision id is not valid", caller).ConfigureAwait(false);
        }

        if (!caller.IsOperator && caller.Token is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        var receipt = await store.FindReceiptAsync(new DecisionId(decisionId), context.RequestAborted).ConfigureAwait(false);

        // Security: a recipient sees its own receipts only; someone else's is "not found", not "forbidden".
        if (receipt is null || (!caller.IsOperator && receipt.Recipient != caller.Token!.Recipient))
        {
            return Problem.Of(ProblemCode.NotFound, $"no receipt for decision `{decisionId}`");
        }

        return TypedResults.Ok(new ReceiptResponse(receipt.DecisionId.Value, receipt.TokenId.Value, receipt.Recipient.Value, receipt.Dataset.Value, receipt.Format, receipt.Rows, receipt.Bytes, receipt.Sha256.ToString(), receipt.IsComplete, receipt.LogIndex, receipt.At));
    }

    internal static async Task<Results<Created<DatasetVersionResponse>, ProblemHttpResult>> ImportVersionAsync(
        string datasetId, HttpContext context, PolicyState policy, DatasetStore datasets, GatewayJournal journal, IOptions<GatewayOptions> options, ILogger<DatasetVersionResponse> logger)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(datasetId) || !DatasetStore.IsValidId(new DatasetId(datasetId)))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the dataset id is not valid", caller).ConfigureAwait(false);
        }

        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        RowFormat format;
        if (mediaType == "text/csv")
        {
            format = RowFormat.Csv;
        }
        else if (mediaType is "application/x-ndjson" or "application/ndjson")
        {
            format = RowFormat.Ndjson;
        }
        else
        {
            return await journal.RefuseAsync(context, ProblemCode.UnsupportedMediaType, "send the rows as `text/csv` or `application/x-ndjson`", caller).ConfigureAwait(false);
        }

        var definition = policy.Agreements.SelectMany(a => a.Agreement.Datasets).FirstOrDefault(d => d.Id.Value == datasetId);
        if (definition is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"no agreement in force declares dataset `{datasetId}`: upload the agreement first", caller).ConfigureAwait(false);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxImportBodyBytes;
        }

        var result = await datasets.ImportAsync(definition, context.Request.Body, format, "upload", context.RequestAborted).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            var diagnostics = new Dictionary<string, object?> { ["diagnostics"] = result.Diagnostics.Select(d => d.ToString()).ToList() };
            return await journal.RefuseAsync(context, ProblemCode.ImportRejected, "the rows do not match the dataset's schema: nothing was imported", caller, extensions: diagnostics).ConfigureAwait(false);
        }

        var manifest = result.Manifest!;
        var version = manifest.Version.ToString();
        var manifestDigest = Sha256Digest.Compute(manifest.ToCanonicalJson()).ToString();
        if (await journal.AppendAsync(context, new DatasetImportEntry(journal.Now, datasetId, version, manifestDigest, manifest.RowCount)).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        LogMessages.DatasetImported(logger, datasetId, version, manifest.RowCount);
        return TypedResults.Created($"/v1/datasets/{datasetId}/versions/{version}", new DatasetVersionResponse(datasetId, version, manifestDigest, manifest.RowCount));
    }

    /// <summary>The request's purpose and every broader purpose that covers it: a row's consent to any of them lets it leave.</summary>
    private static List<PurposeId> AcceptedPurposes(Agreement agreement, PurposeId purpose)
    {
        var accepted = new List<PurposeId>();
        var current = (PurposeId?)purpose;
        while (current is { } id && !accepted.Contains(id))
        {
            accepted.Add(id);
            current = agreement.Purposes.FirstOrDefault(p => p.Id == id)?.Broader;
        }

        return accepted;
    }

    private static bool TryNegotiate(HttpRequest request, out RowFormat format)
    {
        format = RowFormat.Csv;
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        foreach (var media in accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var value = media.MediaType.Value;
            if (value is "text/csv" or "text/*" or "*/*")
            {
                format = RowFormat.Csv;
                return true;
            }

            if (value is "application/x-ndjson" or "application/ndjson")
            {
                format = RowFormat.Ndjson;
                return true;
            }
        }

        return false;
    }
}
