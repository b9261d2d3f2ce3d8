using System.Globalization;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Aggregates;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.RecipientTables;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Privacy;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Aggregates;

/// <summary>
/// The clean room: <c>POST /v1/datasets/{datasetId}/aggregates</c> (a noisy aggregate under the grant's obligations,
/// charged to its privacy budget) and <c>GET /v1/budgets</c> (each grant's budget, to the operator and its recipient).
/// </summary>
internal static class AggregatesApi
{
    /// <summary>The header that carries, with a CSV answer, how many groups were suppressed.</summary>
    public const string SuppressedGroupsHeader = "Concordat-Suppressed-Groups";

    public static IEndpointRouteBuilder MapAggregatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1", "Aggregates");
        group.MapPost("/datasets/{datasetId}/aggregates", QueryAsync).RequireRecipientRateLimit().RequireTokenForRouteDataset()
            .Accepts<JsonElement>("application/json")
            .Produces<AggregateResponse>(Status200OK, "application/json", "text/csv")
            .WithName("QueryAggregates").WithSummary("Answer an aggregate query with exact discrete noise, charged to the grant's privacy budget; ?dryRun=true prices it only")
            .ProducesProblems(Status400BadRequest, Status403Forbidden, Status404NotFound);
        group.MapPut("/datasets/{datasetId}/recipient-tables/{tableId}", UploadTableAsync).RequireRecipientRateLimit().RequireTokenForRouteDataset()
            .Accepts<string>("text/csv", "application/x-ndjson")
            .Produces<RecipientTableResponse>(Status201Created)
            .WithName("UploadRecipientTable").WithSummary("Upload the caller's own table to join aggregate queries with (?key=&fields=&dimensions=); its key is pseudonymised at once and never stored raw")
            .ProducesProblems(Status400BadRequest, Status403Forbidden, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/budgets", ListBudgetsAsync).RequireRecipientRateLimit()
            .WithName("ListBudgets").WithSummary("Each grant's privacy budget: all to the operator, its own to a recipient")
            .ProducesProblems(Status401Unauthorized);
        return app;
    }

    internal static async Task<IResult> QueryAsync(string datasetId, bool? dryRun, [AsParameters] AggregateServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        var token = caller.Token!;
        if (await services.Egress.RefuseOtherActionAsync(context, caller, DataAction.AggregateQuery).ConfigureAwait(false) is { } otherAction)
        {
            return otherAction;
        }

        var query = await ReadQueryAsync(context).ConfigureAwait(false);
        if (query.Problems is { } invalid)
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidAggregateQuery, invalid[0], caller, extensions: Diagnostics(invalid)).ConfigureAwait(false);
        }

        // Every query is decided afresh, and the decision entry is durable before anything is read or spent.
        var (decision, manifest, busy) = await services.Egress.DecideAsync(context, token, DataAction.AggregateQuery).ConfigureAwait(false);
        if (busy is not null)
        {
            return busy;
        }

        var (egress, refused) = await services.Egress.CompileAsync(context, caller, decision, manifest).ConfigureAwait(false);
        if (egress is null)
        {
            return refused!;
        }

        using (egress)
        {
            var active = decision.Agreement!;
            var obligations = decision.Decision.Obligations;
            if (obligations.PrivacyBudget is not { } budget)
            {
                return await journal.RefuseAsync(context, ProblemCode.NoPrivacyBudget, $"grant `{decision.Clause}` of agreement `{active.Agreement.Id}` sets no privacy budget", caller, decision.Id).ConfigureAwait(false);
            }

            var definition = active.Agreement.Datasets.First(d => d.Id == token.Dataset);
            // The grant the decision names sets the query's scope, as it is the one charged.
            var grant = active.Agreement.Grants.First(g => g.Id == decision.Clause);

            // Security: the table is looked up under the caller's own recipient and opened with its own pseudonym key.
            using var pseudonymKey = query.Query!.Join is null ? null : PseudonymKey.Derive(services.Workspace.PseudonymKey, token.Recipient, token.Dataset);
            using var joined = query.Query.Join is { } join ? services.RecipientTables.Open(token.Recipient, join.Table, pseudonymKey!) : null;
            if (!AggregatePlan.TryCompile(query.Query, egress, definition, AggregateTerms.For(grant, obligations.MinGroupSize), out var plan, out var problems, joined))
            {
                var lines = problems.Select(d => d.ToString()).ToList();
                return await journal.RefuseAsync(context, ProblemCode.InvalidAggregateQuery, lines[0], caller, decision.Id, Diagnostics(lines)).ConfigureAwait(false);
            }

            var policy = BudgetPolicy.From(budget, active.Agreement.Effective.From);
            var spend = plan.ToSpend(new BudgetKey(token.Recipient, active.Agreement.Id, decision.Clause!.Value), journal.Now);
            if (policy.Cost(spend) is null)
            {
                return await journal.RefuseAsync(context, ProblemCode.PureDpOnly, "the grant's privacy budget has δ = 0: use the discrete Laplace", caller, decision.Id).ConfigureAwait(false);
            }

            var (charge, pushedBack) = await services.Budgets.ChargeAsync(context, spend, policy, dryRun == true).ConfigureAwait(false);
            if (pushedBack is { } wait)
            {
                return wait;
            }

            var quote = Quote(policy, policy.Cost(spend)!.Value, charge.IsAllowed ? charge.After : charge.Before);
            if (!charge.IsAllowed)
            {
                var figures = new Dictionary<string, object?> { ["unit"] = quote.Unit, ["cost"] = quote.Cost, ["remaining"] = quote.Remaining };
                return await journal.RefuseAsync(context, ProblemCode.BudgetExceeded, charge.Refusal!, caller, decision.Id, figures).ConfigureAwait(false);
            }

            if (dryRun == true)
            {
                return TypedResults.Ok(quote with { Spent = charge.Before.Spent.ToString(), Remaining = charge.Before.Remaining.ToString() });
            }

            var result = await RunAsync(plan, egress, manifest!, services).ConfigureAwait(false);

            context.Response.Headers[EgressResult.DecisionHeader] = decision.Id.Value;
            if (PrefersCsv(context.Request))
            {
                context.Response.Headers[SuppressedGroupsHeader] = result.SuppressedGroups.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Text(result.ToCsv(), "text/csv; charset=utf-8");
            }

            return TypedResults.Ok(new AggregateResponse(
                decision.Id.Value,
                token.Dataset.Value,
                manifest!.Version.Number,
                plan.Query.Digest.ToString(),
                plan.Query.Mechanism == NoiseMechanism.DiscreteGaussian ? "discrete-gaussian" : "discrete-laplace",
                quote,
                [.. result.Groups.Select(g => new AggregateGroupResponse(
                    result.Dimensions.Select((d, i) => (d, g.Key[i])).ToDictionary(p => p.d, p => p.Item2, StringComparer.Ordinal),
                    result.Measures.Select((m, i) => (m, g.Values[i])).ToDictionary(p => p.m, p => p.Item2, StringComparer.Ordinal)))],
                result.SuppressedGroups));
        }
    }

    internal static async Task<IResult> UploadTableAsync(string datasetId, string tableId, string? key, string? fields, string? dimensions, [AsParameters] AggregateServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        var token = caller.Token!;
        if (await services.Egress.RefuseOtherActionAsync(context, caller, DataAction.AggregateQuery).ConfigureAwait(false) is { } otherAction)
        {
            return otherAction;
        }

        if (!Ids.IsValid(tableId) || !DatasetStore.IsValidId(new DatasetId(tableId)))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the table id is not valid: lowercase letters, digits, `.`, `_`, `-`", caller).ConfigureAwait(false);
        }

        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        RowFormat? format = mediaType switch
        {
            "text/csv" => RowFormat.Csv,
            "application/x-ndjson" or "application/ndjson" => RowFormat.Ndjson,
            _ => null,
        };
        if (format is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.UnsupportedMediaType, "send the rows as `text/csv` or `application/x-ndjson`", caller).ConfigureAwait(false);
        }

        if (!RecipientTableSchema.TryParse(fields, key, out var schema, out var problem, dimensions))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRecipientTable, problem, caller).ConfigureAwait(false);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = services.Options.Value.MaxImportBodyBytes;
        }

        using var pseudonymKey = PseudonymKey.Derive(services.Workspace.PseudonymKey, token.Recipient, token.Dataset);
        var (manifest, problems) = await services.RecipientTables.ImportAsync(token.Recipient, tableId, schema, context.Request.Body, format.Value, pseudonymKey, context.RequestAborted).ConfigureAwait(false);
        if (manifest is null)
        {
            var lines = problems.Select(d => d.ToString()).ToList();
            return await journal.RefuseAsync(context, ProblemCode.ImportRejected, "the rows do not match the declared schema: nothing was stored", caller, extensions: Diagnostics(lines)).ConfigureAwait(false);
        }

        return TypedResults.Created(
            $"/v1/datasets/{datasetId}/recipient-tables/{tableId}",
            new RecipientTableResponse(manifest.Table, manifest.Dataset.Value, manifest.Key.Value, manifest.Rows, manifest.Keys, manifest.KeysDigest.ToString(), [.. manifest.Dimensions.Select(d => d.Value)]));
    }

    internal static async Task<Results<Ok<IReadOnlyList<BudgetResponse>>, ProblemHttpResult>> ListBudgetsAsync(HttpContext context, PolicyState policy, PrivacyBudgets budgets, GatewayJournal journal)
    {
        var caller = context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        var list = new List<BudgetResponse>();
        foreach (var active in policy.Agreements)
        {
            foreach (var grant in active.Agreement.Grants)
            {
                // Security: a recipient sees its own budgets only.
                if (grant.PrivacyBudget is not { } budget || (!caller.IsOperator && grant.Recipient != caller.Recipient))
                {
                    continue;
                }

                var terms = BudgetPolicy.From(budget, active.Agreement.Effective.From);
                var key = new BudgetKey(grant.Recipient, active.Agreement.Id, grant.Id);
                var (status, rho, queries, delta) = await budgets.StatusAsync(key, terms, context.RequestAborted).ConfigureAwait(false);
                list.Add(new BudgetResponse(
                    grant.Recipient.Value,
                    active.Agreement.Id.Value,
                    grant.Id.Value,
                    terms.IsPureOnly ? "epsilon" : "rho",
                    budget.Epsilon,
                    budget.Delta,
                    IsoDuration.Format(budget.Period),
                    terms.PeriodStart(journal.Now),
                    status.Spent.ToString(),
                    status.Remaining.ToString(),
                    status.Capacity.ToString(),
                    status.SpentInLifetime.ToString(),
                    rho.ToString(),
                    queries,
                    budget.LifetimeEpsilon,
                    status.LifetimeCapacity?.ToString(),
                    delta.IsZero ? null : delta.ToString()));
            }
        }

        return TypedResults.Ok<IReadOnlyList<BudgetResponse>>(list);
    }

    // The columnar copy when the version fits the gateway's limit, else the stored rows: the same answer either way.
    private static async Task<AggregateResult> RunAsync(AggregatePlan plan, EgressPlan egress, DatasetManifest manifest, AggregateServices services)
    {
        var cancellationToken = services.Context.RequestAborted;
        var columns = await services.Columns.GetAsync(egress, manifest, () => services.Datasets.OpenRows(manifest), cancellationToken).ConfigureAwait(false);
        if (columns is not null)
        {
            return Aggregator.Run(plan, columns, new CryptoRandomSource(), cancellationToken);
        }

        using var rows = services.Datasets.OpenRows(manifest);
        return await Aggregator.RunAsync(plan, rows, new CryptoRandomSource(), cancellationToken).ConfigureAwait(false);
    }

    private static BudgetQuote Quote(BudgetPolicy policy, Rational cost, BudgetStatus status) =>
        new(policy.IsPureOnly ? "epsilon" : "rho", cost.ToString(), status.Spent.ToString(), status.Remaining.ToString(), status.Capacity.ToString());

    private static Dictionary<string, object?> Diagnostics(IReadOnlyList<string> lines) => new() { ["diagnostics"] = lines };

    private static async Task<(AggregateQuery? Query, IReadOnlyList<string>? Problems)> ReadQueryAsync(HttpContext context)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (mediaType != "application/json")
        {
            return (null, [AggregateErrorCodes.MalformedQuery.Error("send the query as `application/json`").ToString()]);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            return AggregateQuery.TryParse(document.RootElement, out var query, out var diagnostics)
                ? (query, null)
                : (null, [.. diagnostics.Select(d => d.ToString())]);
        }
        catch (JsonException)
        {
            return (null, [AggregateErrorCodes.MalformedQuery.Error("the body is not JSON").ToString()]);
        }
    }

    // CSV only when asked for with a higher quality than JSON (RFC 9110 §12.5.1); JSON otherwise.
    private static bool PrefersCsv(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return Quality(accept, "text/csv") > Quality(accept, "application/json");
    }

    private static double Quality(IList<MediaTypeHeaderValue> accept, string mediaType) =>
        accept.Where(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
}
