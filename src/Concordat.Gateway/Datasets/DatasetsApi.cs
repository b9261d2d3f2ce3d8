using System.Diagnostics;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Decisions;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// <c>GET /v1/datasets/{datasetId}/rows</c> (egress), <c>GET /v1/receipts/{decisionId}</c>,
/// <c>POST /v1/datasets/{datasetId}/versions</c> (import, operator) and the operator's reads of datasets and their
/// versions: <c>GET /v1/datasets</c>, <c>GET /v1/datasets/{datasetId}/versions</c> and
/// <c>GET /v1/datasets/{datasetId}/versions/{version}</c> (with the manifest).
/// </summary>
internal static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1", "Datasets");
        group.MapGet("/datasets/{datasetId}/rows", ReadRowsAsync).RequireRecipientRateLimit().RequireTokenForRouteDataset()
            .WithName("ReadRows").WithSummary("Stream rows as CSV or NDJSON, with the decision's obligations applied to every row")
            .ProducesProblems(Status404NotFound, Status406NotAcceptable);
        group.MapGet("/receipts/{decisionId}", ReadReceiptAsync).RequireRecipientRateLimit()
            .WithName("ReadReceipt").WithSummary("The rows, bytes and SHA-256 of what left under an egress decision")
            .ProducesProblems(Status400BadRequest, Status401Unauthorized, Status404NotFound);
        group.MapGet("/datasets", ListDatasets).RequireOperator()
            .WithName("ListDatasets").WithSummary("List the datasets the agreements in force declare or that have stored versions, with their newest version");
        group.MapGet("/datasets/{datasetId}/versions", ListVersionsAsync).RequireOperator()
            .WithName("ListDatasetVersions").WithSummary("List a dataset's stored versions, oldest first")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapGet("/datasets/{datasetId}/versions/{version}", ReadVersionAsync).RequireOperator()
            .WithName("ReadDatasetVersion").WithSummary("One stored dataset version with its manifest")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapPost("/datasets/{datasetId}/versions", ImportVersionAsync).RequireOperator()
            .Accepts<string>("text/csv", "application/x-ndjson")
            .WithName("ImportDatasetVersion").WithSummary("Import a dataset version (CSV or NDJSON) against the schema its agreement declares")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Results<EgressResult, ProblemHttpResult>> ReadRowsAsync(string datasetId, [AsParameters] DatasetServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!TryNegotiate(context.Request, out var format))
        {
            return await journal.RefuseAsync(context, ProblemCode.NotAcceptable, "accept `text/csv` or `application/x-ndjson`", caller).ConfigureAwait(false);
        }

        // Invariant: RequireTokenForRouteDataset let through only a token valid now and issued for this dataset.
        var token = caller.Token!;
        Debug.Assert(token.Dataset.Value == datasetId, "the token's dataset is the route's");

        if (await services.Egress.RefuseOtherActionAsync(context, caller, DataAction.ReadRows).ConfigureAwait(false) is { } otherAction)
        {
            return otherAction;
        }

        // Every egress is decided again now, and no byte leaves before the decision entry is durable.
        var (decision, manifest, busy) = await services.Egress.DecideAsync(context, token, DataAction.ReadRows).ConfigureAwait(false);
        if (busy is not null)
        {
            return busy;
        }

        return await services.Egress.PlanAsync(context, caller, decision, format, manifest).ConfigureAwait(false);
    }

    internal static async Task<Results<Ok<ReceiptResponse>, ProblemHttpResult>> ReadReceiptAsync(string decisionId, [AsParameters] DatasetServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!Ids.IsValid(decisionId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the decision id is not valid", caller).ConfigureAwait(false);
        }

        if (!caller.IsOperator && caller.Token is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        var receipt = await services.Store.FindReceiptAsync(new DecisionId(decisionId), context.RequestAborted).ConfigureAwait(false);

        // Security: a recipient sees its own receipts only; someone else's is "not found", not "forbidden".
        if (receipt is null || (!caller.IsOperator && receipt.Recipient != caller.Token!.Recipient))
        {
            return Problem.Of(ProblemCode.NotFound, $"no receipt for decision `{decisionId}`");
        }

        return TypedResults.Ok(new ReceiptResponse(
            receipt.DecisionId.Value,
            receipt.TokenId.Value,
            receipt.Recipient.Value,
            receipt.Dataset.Value,
            receipt.Format,
            receipt.Rows,
            receipt.Bytes,
            receipt.Sha256.ToString(),
            receipt.IsComplete,
            receipt.LogIndex,
            receipt.At,
            receipt.Bytes,
            receipt.RowsWithheldByConsent,
            receipt.RowsWithheldByResidency,
            receipt.DatasetVersion,
            receipt.Manifest?.ToString()));
    }

    internal static async Task<Results<Created<DatasetVersionResponse>, ProblemHttpResult>> ImportVersionAsync(string datasetId, [AsParameters] DatasetServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
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

        var definition = services.Policy.Agreements.SelectMany(a => a.Agreement.Datasets).FirstOrDefault(d => d.Id.Value == datasetId);
        if (definition is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"no agreement in force declares dataset `{datasetId}`: upload the agreement first", caller).ConfigureAwait(false);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = services.Options.Value.MaxImportBodyBytes;
        }

        var result = await services.Datasets.ImportAsync(definition, context.Request.Body, format, SourceName(context.Request), context.RequestAborted).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            var diagnostics = new Dictionary<string, object?> { ["diagnostics"] = result.Diagnostics.Select(d => d.ToString()).ToList() };
            return await journal.RefuseAsync(context, ProblemCode.ImportRejected, "the rows do not match the dataset's schema: nothing was imported", caller, extensions: diagnostics).ConfigureAwait(false);
        }

        var manifest = result.Manifest!;
        var version = manifest.Version.Number;
        var manifestDigest = manifest.ComputeDigest().ToString();
        if (await journal.AppendAsync(context, new DatasetImportEntry(journal.Now, datasetId, version, manifestDigest, manifest.RowCount)).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        // Invariant: the version's attestation is logged before the import is acknowledged (docs/formats/attestations.md).
        await services.Attestor.AttestDatasetVersionAsync(manifest, definition, services.Policy.Agreements.Select(a => a.Agreement), "operator").ConfigureAwait(false);
        LogMessages.DatasetImported(services.Logger, datasetId, version, manifest.RowCount);
        return TypedResults.Created($"/v1/datasets/{datasetId}/versions/{version}", new DatasetVersionResponse(datasetId, version, manifestDigest, manifest.RowCount));
    }

    internal static Ok<IReadOnlyList<DatasetSummary>> ListDatasets([AsParameters] DatasetServices services)
    {
        var declared = Declared(services.Policy);
        var ids = declared.Keys.Union(services.Datasets.ListDatasets()).OrderBy(id => id.Value, StringComparer.Ordinal).ToList();
        IReadOnlyList<DatasetSummary> list = [.. ids.Select(id =>
        {
            var versions = services.Datasets.ListVersions(id);
            var latest = versions.Count == 0 ? null : services.Datasets.GetVersion(id, versions[^1]);
            return new DatasetSummary(id.Value, declared.ContainsKey(id), versions.Count, latest is null ? null : Summary(latest, declared.GetValueOrDefault(id)));
        })];
        return TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<IReadOnlyList<DatasetVersionSummary>>, ProblemHttpResult>> ListVersionsAsync(string datasetId, [AsParameters] DatasetServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        if (!Ids.IsValid(datasetId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the dataset id is not valid", context.Caller()).ConfigureAwait(false);
        }

        var id = new DatasetId(datasetId);
        var declared = Declared(services.Policy);
        var versions = services.Datasets.ListVersions(id);
        if (versions.Count == 0 && !declared.ContainsKey(id))
        {
            return Problem.Of(ProblemCode.NotFound, $"no dataset `{datasetId}`: no agreement in force declares it and no version is stored");
        }

        IReadOnlyList<DatasetVersionSummary> list = [.. versions
            .Select(v => services.Datasets.GetVersion(id, v))
            .OfType<DatasetManifest>()
            .Select(m => Summary(m, declared.GetValueOrDefault(id)))];
        return TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<DatasetVersionDetail>, ProblemHttpResult>> ReadVersionAsync(string datasetId, string version, [AsParameters] DatasetServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        if (!Ids.IsValid(datasetId) || !DatasetVersion.TryParse(version, out var number))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the dataset id or version is not valid (a version is a number from 1)", context.Caller()).ConfigureAwait(false);
        }

        if (services.Datasets.GetVersion(new DatasetId(datasetId), number) is not { } manifest)
        {
            return Problem.Of(ProblemCode.NotFound, $"dataset `{datasetId}` has no version {version}");
        }

        var json = manifest.ToCanonicalJson();
        using var document = JsonDocument.Parse(json);
        return TypedResults.Ok(new DatasetVersionDetail(datasetId, number.Number, Sha256Digest.Compute(json).ToString(), document.RootElement.Clone()));
    }

    // The dataset definitions of the agreements in force, by id (the first agreement's, when two declare one).
    private static Dictionary<DatasetId, DatasetDefinition> Declared(Agreements.PolicyState policy)
    {
        var declared = new Dictionary<DatasetId, DatasetDefinition>();
        foreach (var definition in policy.Agreements.SelectMany(a => a.Agreement.Datasets))
        {
            declared.TryAdd(definition.Id, definition);
        }

        return declared;
    }

    private static DatasetVersionSummary Summary(DatasetManifest manifest, DatasetDefinition? definition) =>
        new(manifest.DatasetId.Value, manifest.Version.Number, manifest.ComputeDigest().ToString(), manifest.RowCount, manifest.ImportedAt, definition is null ? null : manifest.MatchesSchemaOf(definition));

    /// <summary>
    /// The name diagnostics and the manifest give the body: the file name of its <c>Content-Disposition</c> (RFC 6266,
    /// as <c>concordat dataset import</c> sends it), without any folder, or <c>upload</c> when it names none fit to show.
    /// </summary>
    private static string SourceName(HttpRequest request)
    {
        if (ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition))
        {
            var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            name = Path.GetFileName(name?.Replace('\\', '/'));

            // Security: the name reaches diagnostics and the manifest; only a short, printable one is taken.
            if (name is { Length: > 0 and <= 128 } && !name.Any(char.IsControl) && name is not ("." or ".."))
            {
                return name;
            }
        }

        return "upload";
    }

    /// <summary>
    /// Chooses CSV or NDJSON by <c>Accept</c>: each takes the quality of the most specific range that matches it
    /// (RFC 9110 §12.5.1), the higher quality wins, CSV on a tie; a quality of 0 means "not acceptable".
    /// </summary>
    private static bool TryNegotiate(HttpRequest request, out RowFormat format)
    {
        format = RowFormat.Csv;
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        var csv = Quality(accept, "text", "csv");
        var ndjson = Quality(accept, "application", "x-ndjson", "ndjson");
        if (csv <= 0 && ndjson <= 0)
        {
            return false;
        }

        format = ndjson > csv ? RowFormat.Ndjson : RowFormat.Csv;
        return true;
    }

    private static double Quality(IList<MediaTypeHeaderValue> accept, string type, params ReadOnlySpan<string> subtypes)
    {
        var (specificity, quality) = (-1, 0.0);
        foreach (var range in accept)
        {
            var rangeType = range.Type.Value;
            var rangeSubtype = range.SubType.Value;
            var match = rangeType == "*" && rangeSubtype == "*" ? 0
                : string.Equals(rangeType, type, StringComparison.OrdinalIgnoreCase) && rangeSubtype == "*" ? 1
                : string.Equals(rangeType, type, StringComparison.OrdinalIgnoreCase) && IsOneOf(rangeSubtype, subtypes) ? 2
                : -1;
            if (match > specificity)
            {
                (specificity, quality) = (match, range.Quality ?? 1);
            }
        }

        return quality;
    }

    private static bool IsOneOf(string? subtype, ReadOnlySpan<string> subtypes)
    {
        foreach (var candidate in subtypes)
        {
            if (string.Equals(subtype, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
