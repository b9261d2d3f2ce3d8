using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Parquet;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// The Delta Sharing server under <c>/delta-sharing</c> (delta-io/delta-sharing PROTOCOL.md): the client-credentials
/// token endpoint, shares, schemas, tables, table version, metadata and query; and the pre-signed file URLs.
/// </summary>
/// <remarks>
/// The mapping (docs/api.md, "Delta Sharing"): a share per agreement in force that grants the recipient
/// <c>read-rows</c>, one schema <c>default</c>, a table per dataset the grant names, the table version the dataset
/// version. Security: every metadata read and query is a decision for the token's purpose and jurisdiction, logged
/// before any URL is returned; the files hold the rows with the obligations already applied.
/// </remarks>
internal static partial class DeltaSharingApi
{
    /// <summary>The schema every share has.</summary>
    public const string DefaultSchema = "default";

    private const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapDeltaSharingApi(this IEndpointRouteBuilder app)
    {
        // Why not in the OpenAPI document: the protocol is delta-io/delta-sharing's, documented there and in docs/api.md.
        var group = app.MapGroup("/delta-sharing").ExcludeFromDescription();
        group.MapPost("/oauth/token", IssueShareTokenAsync).DisableAntiforgery();
        group.MapGet("/shares", ListSharesAsync);
        group.MapGet("/shares/{share}", GetShareAsync);
        group.MapGet("/shares/{share}/schemas", ListSchemasAsync);
        group.MapGet("/shares/{share}/schemas/{schema}/tables", ListTablesAsync);
        group.MapGet("/shares/{share}/all-tables", ListAllTablesAsync);
        group.MapGet("/shares/{share}/schemas/{schema}/tables/{table}/version", TableVersionAsync);
        group.MapGet("/shares/{share}/schemas/{schema}/tables/{table}/metadata", TableMetadataAsync);
        group.MapPost("/shares/{share}/schemas/{schema}/tables/{table}/query", QueryTableAsync);
        group.MapGet("/shares/{share}/schemas/{schema}/tables/{table}/changes", TableChangesAsync);
        group.MapMethods("/files/{fileId}", ["GET", "HEAD"], DeltaSharingFileResult.FetchAsync);
        return app;
    }

    // Spec: RFC 6749 §4.4: client credentials (HTTP Basic, §2.3.1), form-encoded, answered per §5.1 and §5.2.
    internal static async Task<IResult> IssueShareTokenAsync([AsParameters] DeltaSharingServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (caller.Identity is not { } identity)
        {
            await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "authenticate with HTTP Basic: client id and secret", caller).ConfigureAwait(false);
            return DeltaSharingRefusals.OAuth(401, "invalid_client", "authenticate with HTTP Basic: client id and secret");
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        if (form is null || form["grant_type"] != "client_credentials")
        {
            await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "grant_type", caller).ConfigureAwait(false);
            return DeltaSharingRefusals.OAuth(400, "unsupported_grant_type", "send `grant_type=client_credentials`, form-encoded");
        }

        if (!ShareTokens.TryReadScope(form["scope"], out var purpose, out var jurisdiction))
        {
            await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "scope", caller).ConfigureAwait(false);
            return DeltaSharingRefusals.OAuth(400, "invalid_scope", "the scope is `purpose:P jurisdiction:J`, both ids");
        }

        var issue = await ShareTokens.IssueAsync(services, identity, purpose, jurisdiction).ConfigureAwait(false);
        if (issue.Pushback is not null)
        {
            return issue.Pushback;
        }

        if (issue.Refusal is not null)
        {
            // Spec: RFC 6749 §5.2: invalid_scope, "exceeds the scope granted by the resource owner".
            return DeltaSharingRefusals.OAuth(400, "invalid_scope", issue.Refusal);
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new JsonObject
        {
            ["access_token"] = issue.Bearer,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)GatewayOptions.MaxTokenLifetime.TotalSeconds,
        });
    }

    internal static async Task<IResult> ListSharesAsync([AsParameters] DeltaSharingServices services)
    {
        var (token, refusal) = await ShareCallerAsync(services).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        return Page(services.Context, SharesOf(services.Policy, token.Recipient, services.Journal.Now).Select(a => (JsonNode)Share(a)));
    }

    internal static async Task<IResult> GetShareAsync(string share, [AsParameters] DeltaSharingServices services)
    {
        var found = await FindAsync(services, share, null, null).ConfigureAwait(false);
        return found.Refusal ?? Results.Json(new JsonObject { ["share"] = Share(found.Agreement!) });
    }

    internal static async Task<IResult> ListSchemasAsync(string share, [AsParameters] DeltaSharingServices services)
    {
        var found = await FindAsync(services, share, null, null).ConfigureAwait(false);
        return found.Refusal ?? Page(services.Context, [new JsonObject { ["name"] = DefaultSchema, ["share"] = found.Agreement!.Agreement.Id.Value }]);
    }

    internal static async Task<IResult> ListTablesAsync(string share, string schema, [AsParameters] DeltaSharingServices services)
    {
        var found = await FindAsync(services, share, schema, null).ConfigureAwait(false);
        return found.Refusal ?? Page(services.Context, TablesOf(found.Agreement!, found.Token!.Recipient).Select(d => (JsonNode)Table(found.Agreement!, d)));
    }

    internal static async Task<IResult> ListAllTablesAsync(string share, [AsParameters] DeltaSharingServices services)
    {
        var found = await FindAsync(services, share, null, null).ConfigureAwait(false);
        return found.Refusal ?? Page(services.Context, TablesOf(found.Agreement!, found.Token!.Recipient).Select(d => (JsonNode)Table(found.Agreement!, d)));
    }

    internal static async Task<IResult> TableVersionAsync(string share, string schema, string table, [AsParameters] DeltaSharingServices services)
    {
        var found = await FindAsync(services, share, schema, table).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        var manifest = services.Datasets.GetLatest(found.Dataset);
        if (manifest is null)
        {
            return await RefuseAsync(services, found.Token!, ProblemCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"table `{table}` has no version yet").ConfigureAwait(false);
        }

        services.Context.Response.Headers["Delta-Table-Version"] = manifest.Version.Number.ToString(CultureInfo.InvariantCulture);
        return Results.Ok();
    }

    internal static Task<IResult> TableMetadataAsync(string share, string schema, string table, [AsParameters] DeltaSharingServices services) =>
        DecideTableAsync(services, share, schema, table, withFiles: false);

    internal static Task<IResult> QueryTableAsync(string share, string schema, string table, [AsParameters] DeltaSharingServices services) =>
        DecideTableAsync(services, share, schema, table, withFiles: true);

    /// <summary>The protocol's error shape (PROTOCOL.md: <c>errorCode</c>, <c>message</c>), after the refusal is logged.</summary>
    internal static async Task<IResult> RefuseAsync(DeltaSharingServices services, TokenRecord? token, ProblemCode code, string errorCode, string message, DecisionId? decision = null)
    {
        var caller = services.Context.Caller();
        var logged = await services.Journal.RefuseAsync(services.Context, code, message, caller, decision).ConfigureAwait(false);
        return logged.StatusCode == StatusCodes.Status503ServiceUnavailable
            ? logged
            : DeltaSharingRefusals.Protocol(errorCode, message, code.Status);
    }

    // Metadata and query: decided afresh for the token's purpose and jurisdiction, logged, then answered.
    private static async Task<IResult> DecideTableAsync(DeltaSharingServices services, string share, string schema, string table, bool withFiles)
    {
        var found = await FindAsync(services, share, schema, table).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        var (context, journal, token) = (services.Context, services.Journal, found.Token!);
        if (await RefuseDeltaFormatAsync(services, token).ConfigureAwait(false) is { } deltaFormat)
        {
            return deltaFormat;
        }

        var manifest = services.Datasets.GetLatest(found.Dataset);
        var (bad, version, range) = withFiles ? await ReadQueryAsync(context).ConfigureAwait(false) : (null, null, null);
        if (bad is not null)
        {
            return await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", bad).ConfigureAwait(false);
        }

        if (range is not null)
        {
            return await QueryVersionsAsync(services, found, range).ConfigureAwait(false);
        }

        if (version is not null && version != manifest?.Version.Number)
        {
            return await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", $"version `{version}` is not the table's version: only the current version is shared").ConfigureAwait(false);
        }

        var decided = await DecideAsync(services, found, manifest, manifest).ConfigureAwait(false);
        if (decided.Refusal is not null)
        {
            return decided.Refusal;
        }

        using (var plan = decided.Plan!)
        {
            var lines = new List<JsonObject> { ProtocolLine(), MetadataLine(found, plan, isChangeDataFeed: false) };
            if (withFiles)
            {
                var file = await services.Files.Cache.GetOrWriteAsync(plan, manifest!, services.Datasets, context.RequestAborted).ConfigureAwait(false);
                lines.Add(new JsonObject { ["file"] = FileAction(services, found, decided.Decision!, file, manifest!.Version.Number) });
            }

            context.Response.Headers["Delta-Table-Version"] = manifest!.Version.Number.ToString(CultureInfo.InvariantCulture);
            return Ndjson(lines);
        }
    }

    // Security: the decision for the token's purpose and jurisdiction, logged before anything about the table leaves;
    // then the plan its obligations compile to, or the refusal. The caller disposes the plan.
    private static async Task<Decided> DecideAsync(DeltaSharingServices services, Found found, DatasetManifest? latest, DatasetManifest? served)
    {
        var (context, journal, token) = (services.Context, services.Journal, found.Token!);
        var identity = await services.Store.FindIdentityAsync(token.ClientId, context.RequestAborted).ConfigureAwait(false);
        var decision = services.Decisions.DecideAccess(new DecisionRequest(token.Recipient, DataAction.ReadRows, found.Dataset, token.Purpose, token.Jurisdiction, null, journal.Now, identity?.Role));
        var servedVersion = served is null ? ((int, string)?)null : (served.Version.Number, served.ComputeDigest().ToString());

        // Invariant: no URL and no schema leaves before the decision entry is durable.
        if (await journal.AppendAsync(context, decision.ToEntry(token.ClientId, servedVersion), decision.Id).ConfigureAwait(false) is { } busy)
        {
            return new Decided(null, null, busy);
        }

        if (!decision.IsPermit || decision.Agreement!.Agreement.Id != found.Agreement!.Agreement.Id)
        {
            var reasons = decision.IsPermit ? $"agreement `{found.Agreement!.Agreement.Id}` does not permit the query" : string.Join("; ", decision.ReasonsFor(token.Recipient));
            return new Decided(null, null, DeltaSharingRefusals.Protocol("PERMISSION_DENIED", reasons, StatusCodes.Status403Forbidden));
        }

        if (latest is null || !latest.MatchesSchemaOf(decision.Agreement.Agreement.Datasets.First(d => d.Id == found.Dataset)))
        {
            return new Decided(null, null, await RefuseAsync(services, token, ProblemCode.StaleDatasetVersion, "RESOURCE_DOES_NOT_EXIST", $"table `{found.Dataset}` has no version imported under the agreement in force", decision.Id).ConfigureAwait(false));
        }

        if (!EgressPlan.TryCompile(decision.Agreement.Agreement, found.Dataset, token.Recipient, token.Purpose, decision.Decision.Obligations, services.Workspace.PseudonymKey, out var plan, out _))
        {
            // Security: fail closed; rules the gateway cannot carry out never let rows leave.
            return new Decided(null, null, await RefuseAsync(services, token, ProblemCode.Denied, "PERMISSION_DENIED", "the agreement's rules cannot be carried out on this dataset", decision.Id).ConfigureAwait(false));
        }

        return new Decided(decision, plan, null);
    }

    private static async Task<IResult?> RefuseDeltaFormatAsync(DeltaSharingServices services, TokenRecord token) =>
        AcceptsParquet(services.Context.Request.Headers["delta-sharing-capabilities"].ToString())
            ? null
            : await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", "only `responseformat=parquet` is served: the delta response format is not supported").ConfigureAwait(false);

    private static JsonObject ProtocolLine() => new() { ["protocol"] = new JsonObject { ["minReaderVersion"] = 1 } };

    private static JsonObject MetadataLine(Found found, EgressPlan plan, bool isChangeDataFeed)
    {
        var metadata = new JsonObject
        {
            ["id"] = $"{found.Agreement!.Agreement.Id}.{DefaultSchema}.{found.Dataset}",
            ["format"] = new JsonObject { ["provider"] = "parquet" },
            ["schemaString"] = ParquetEgress.DeltaSchemaString(plan),
            ["partitionColumns"] = new JsonArray(),
        };
        if (isChangeDataFeed)
        {
            metadata["configuration"] = new JsonObject { ["enableChangeDataFeed"] = "true" };
        }

        return new JsonObject { ["metaData"] = metadata };
    }

    // One file action's members: the pre-signed URL (expiring within 15 minutes and never after the token) and the file's facts.
    private static JsonObject FileAction(DeltaSharingServices services, Found found, DecisionEvent decision, ParquetEgressFile file, int version)
    {
        var (request, token) = (services.Context.Request, found.Token!);
        var expires = Min(services.Journal.Now + FileUrl.MaxLifetime, token.ExpiresAt);
        var url = new FileUrl(file.PlanDigest, token.Recipient, decision.Id, token.Id, decision.Agreement!.Digest, found.Dataset, version, expires.ToUnixTimeMilliseconds());
        return new JsonObject
        {
            ["url"] = $"{request.Scheme}://{request.Host}{url.ToPathAndQuery(services.Files.UrlKey)}",
            ["id"] = file.PlanDigest.Hex,
            ["partitionValues"] = new JsonObject(),
            ["size"] = file.Size,
            ["stats"] = new JsonObject { ["numRecords"] = file.Rows }.ToJsonString(),
            ["expirationTimestamp"] = url.ExpiresAt,
        };
    }

    private static IResult Ndjson(List<JsonObject> lines) =>
        Results.Text(string.Concat(lines.Select(l => l.ToJsonString() + "\n")), "application/x-ndjson; charset=utf-8");

    // The query body: every member optional; hints are hints (filtering is never a control here, so they are ignored).
    // Spec: PROTOCOL.md "Request Body": `version`, `timestamp` and `startingVersion` exclude one another, and
    // `endingVersion` is only used with `startingVersion`.
    private static async Task<(string? Error, int? Version, VersionRange? Range)> ReadQueryAsync(HttpContext context)
    {
        int? requested = null;
        long? startingVersion = null, endingVersion = null;
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return (context.Request.ContentLength is null or 0 ? null : "the body is not JSON", null, null);
        }

        using (body)
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ("the body is a JSON object", null, null);
            }

            foreach (var member in body.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "version" when member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt32(out var version) && version >= 0:
                        requested = version;
                        break;
                    case "startingVersion" when member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt64(out var start) && start >= 0:
                        startingVersion = start;
                        break;
                    case "endingVersion" when member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt64(out var end) && end >= 0:
                        endingVersion = end;
                        break;
                    case "version" or "startingVersion" or "endingVersion":
                        return ($"`{member.Name}` is a non-negative whole number", null, null);
                    case "timestamp" or "startingTimestamp":
                        return ($"`{member.Name}` is not supported: ask by version", null, null);

                    // Spec: `includeHistoricalProtocol` only matters in the delta response format; historical metadata is
                    // always included with `startingVersion`, so `includeHistoricalMetadata` changes nothing here.
                    case "includeHistoricalProtocol" or "includeHistoricalMetadata" when member.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        break;
                    case "includeHistoricalProtocol" or "includeHistoricalMetadata":
                        return ($"`{member.Name}` is `true` or `false`", null, null);
                    case "predicateHints" or "jsonPredicateHints" or "limitHint" or "idempotencyKey":
                        break;
                    default:
                        return ($"unknown member `{member.Name}`", null, null);
                }
            }
        }

        return (requested, startingVersion, endingVersion) switch
        {
            ({ }, { }, _) => ("give at most one of `version` and `startingVersion`", null, null),
            (_, null, { }) => ("`endingVersion` is only used with `startingVersion`", null, null),
            (_, { } from, var to) => (null, null, new VersionRange(from, null, to, null)),
            _ => (null, requested, null),
        };
    }

    // Spec: PROTOCOL.md "Delta Sharing Capabilities Header": semicolon-separated key=value1,value2, case-insensitive.
    private static bool AcceptsParquet(string header)
    {
        foreach (var capability in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = capability.Split('=', 2);
            if (parts.Length == 2 && parts[0].Equals("responseformat", StringComparison.OrdinalIgnoreCase))
            {
                return parts[1].Split(',', StringSplitOptions.TrimEntries).Any(v => v.Equals("parquet", StringComparison.OrdinalIgnoreCase));
            }
        }

        return true;
    }

    // Security: the protocol's routes take a share token and nothing else (a dataset token, an identity, the operator key
    // are refused); the refusal is logged like every other.
    private static async Task<(TokenRecord Token, IResult? Refusal)> ShareCallerAsync(DeltaSharingServices services)
    {
        if (services.Context.Caller().Token is { } presented && ShareTokens.IsShareToken(presented))
        {
            return (presented, null);
        }

        await services.Journal.RefuseAsync(services.Context, ProblemCode.Unauthenticated, "no share token", services.Context.Caller()).ConfigureAwait(false);
        return (null!, DeltaSharingRefusals.Protocol("UNAUTHENTICATED", "send a share token from the profile's token endpoint as `Authorization: Bearer`", StatusCodes.Status401Unauthorized));
    }

    private static async Task<Found> FindAsync(DeltaSharingServices services, string share, string? schema, string? table)
    {
        var (token, refusal) = await ShareCallerAsync(services).ConfigureAwait(false);
        if (refusal is not null)
        {
            return new Found(null, null, default, refusal);
        }

        // Security: another recipient's share and a share that does not exist get the same answer.
        var agreement = SharesOf(services.Policy, token.Recipient, services.Journal.Now).FirstOrDefault(a => a.Agreement.Id.Value.Equals(share, StringComparison.OrdinalIgnoreCase));
        if (agreement is null)
        {
            return new Found(null, null, default, await RefuseAsync(services, token, ProblemCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"share `{share}` does not exist").ConfigureAwait(false));
        }

        if (schema is not null && !schema.Equals(DefaultSchema, StringComparison.OrdinalIgnoreCase))
        {
            return new Found(null, null, default, await RefuseAsync(services, token, ProblemCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"schema `{schema}` does not exist in share `{share}`").ConfigureAwait(false));
        }

        var dataset = table is null ? default : TablesOf(agreement, token.Recipient).FirstOrDefault(d => d.Value.Equals(table, StringComparison.OrdinalIgnoreCase));
        if (table is not null && dataset == default)
        {
            return new Found(null, null, default, await RefuseAsync(services, token, ProblemCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"table `{table}` does not exist in share `{share}`").ConfigureAwait(false));
        }

        return new Found(token, agreement, dataset, null);
    }

    // Invariant: a share is listed to a recipient only when its agreement is in force now (a terminated one is not) and
    // grants the recipient read-rows.
    internal static IEnumerable<ActiveAgreement> SharesOf(PolicyState policy, PartyId recipient, DateTimeOffset now) =>
        policy.Agreements.Where(a => a.Agreement.Effective.Contains(now) && ReadGrants(a, recipient).Any()).OrderBy(a => a.Agreement.Id.Value, StringComparer.Ordinal);

    // A grant covers the datasets it names and those of the collections it names (as the decision index reads it).
    internal static IEnumerable<DatasetId> TablesOf(ActiveAgreement agreement, PartyId recipient) =>
        ReadGrants(agreement, recipient)
            .SelectMany(g => g.Datasets.Concat(agreement.Agreement.Collections.Where(c => g.Collections.Contains(c.Id)).SelectMany(c => c.Datasets)))
            .Distinct()
            .OrderBy(d => d.Value, StringComparer.Ordinal);

    // A grant permits its recipient and the members of the groups it names, each as a recipient.
    private static IEnumerable<Grant> ReadGrants(ActiveAgreement agreement, PartyId recipient) =>
        agreement.Agreement.Grants.Where(g => g.Actions.Contains(DataAction.ReadRows) &&
            (g.Recipient == recipient || agreement.Agreement.Groups.Any(group => g.Groups.Contains(group.Id) && group.Parties.Contains(recipient))));

    private static JsonObject Share(ActiveAgreement agreement) => new() { ["name"] = agreement.Agreement.Id.Value, ["id"] = agreement.Agreement.Id.Value };

    private static JsonObject Table(ActiveAgreement agreement, DatasetId dataset) => new()
    {
        ["name"] = dataset.Value,
        ["schema"] = DefaultSchema,
        ["share"] = agreement.Agreement.Id.Value,
        ["shareId"] = agreement.Agreement.Id.Value,
        ["id"] = $"{agreement.Agreement.Id}.{DefaultSchema}.{dataset}",
    };

    // Spec: PROTOCOL.md list APIs: maxResults (non-negative) and pageToken; nextPageToken only when more remain.
    private static IResult Page(HttpContext context, IEnumerable<JsonNode> all)
    {
        var items = all.ToList();
        var query = context.Request.Query;
        var size = DefaultPageSize;
        var start = 0;
        if ((query.ContainsKey("maxResults") && (!int.TryParse(query["maxResults"], NumberStyles.None, CultureInfo.InvariantCulture, out size))) ||
            (query.ContainsKey("pageToken") && !string.IsNullOrEmpty(query["pageToken"]) && (!int.TryParse(query["pageToken"], NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count)))
        {
            return DeltaSharingRefusals.Protocol("INVALID_PARAMETER_VALUE", "`maxResults` is a non-negative whole number and `pageToken` one this server returned", StatusCodes.Status400BadRequest);
        }

        var page = new JsonObject { ["items"] = new JsonArray([.. items.Skip(start).Take(size).Select(i => i.DeepClone())]) };
        if (start + size < items.Count)
        {
            page["nextPageToken"] = (start + size).ToString(CultureInfo.InvariantCulture);
        }

        return Results.Json(page);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Found(TokenRecord? Token, ActiveAgreement? Agreement, DatasetId Dataset, IResult? Refusal);

    private sealed record Decided(DecisionEvent? Decision, EgressPlan? Plan, IResult? Refusal);
}
