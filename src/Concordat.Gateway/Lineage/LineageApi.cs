using Concordat.Gateway.Problems;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Retention;
using Concordat.Gateway.Security;
using Concordat.Lineage;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Lineage;

/// <summary>
/// The lineage graph over HTTP: what a dataset version touches (<c>GET /v1/lineage/impact</c>) and where an egress,
/// a model or a dataset version came from (<c>GET /v1/lineage/show</c>, and <c>/upstream</c>, its older name). The operator sees everything; a recipient
/// sees its own lineage only: its own egress, the versions it received, and the models trained through them. The
/// models are those registered here (<c>POST /v1/models</c>, named <c>name@version</c>); <c>asOf</c> answers as of a
/// signed checkpoint's tree size, as <c>concordat lineage --as-of</c> does.
/// </summary>
internal static class LineageApi
{
    public static IEndpointRouteBuilder MapLineageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapRecipientGroup("/v1/lineage", "Lineage");
        group.MapGet("/impact", ImpactAsync).WithName("ReadLineageImpact")
            .WithSummary("Every egress, recipient, token, agreement (contacts, breach deadline) and model a dataset version touches; a recipient sees its own only")
            .ProducesProblems(Status400BadRequest);
        group.MapGet("/show", UpstreamAsync).WithName("ReadLineageShow")
            .WithSummary("Where an egress, a model or a dataset version came from, under which terms, as a tree (`concordat lineage show`); a recipient sees its own only")
            .ProducesProblems(Status400BadRequest, Status404NotFound);

        // The older name of /show, kept as the CLI keeps `lineage upstream`.
        group.MapGet("/upstream", UpstreamAsync).WithName("ReadLineageUpstream")
            .WithSummary("The older name of `GET /v1/lineage/show`, answered the same")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        return app;
    }

    internal static async Task<Results<Ok<LineageImpact>, ProblemHttpResult>> ImpactAsync(string? dataset, int? version, long? asOf, [AsParameters] LineageServices s)
    {
        var caller = s.Context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await s.Journal.RefuseAsync(s.Context, ProblemCode.Unauthenticated, "send the operator key or a recipient's token or client credentials", caller).ConfigureAwait(false);
        }

        if (dataset is null || !Ids.IsValid(dataset) || version is not >= 1)
        {
            return await s.Journal.RefuseAsync(s.Context, ProblemCode.LineageQueryInvalid, "give `dataset` (a dataset id) and `version` (a number from 1)", caller).ConfigureAwait(false);
        }

        var (graph, problem) = await GraphAsync(s, asOf, caller).ConfigureAwait(false);
        if (graph is null)
        {
            return problem!;
        }

        // The agreements egress left under are any stored version (superseded or terminated ones included), matched by
        // digest, so an egress under an amended agreement still gets the contacts and deadline it left under.
        Dictionary<string, Concordat.Agreements.Agreement> agreements;
        try
        {
            agreements = await RetentionBook.ReadAgreementVersionsAsync(s.Store, s.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Unavailable();
        }

        return TypedResults.Ok(graph.Impact(dataset, version.Value, [.. agreements.Values], Restriction(caller)));
    }

    internal static async Task<Results<Ok<LineageTreeNode>, ProblemHttpResult>> UpstreamAsync(string? subject, long? asOf, [AsParameters] LineageServices s)
    {
        var caller = s.Context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await s.Journal.RefuseAsync(s.Context, ProblemCode.Unauthenticated, "send the operator key or a recipient's token or client credentials", caller).ConfigureAwait(false);
        }

        if (subject is null || !(Ids.IsValid(subject) || ModelIds.TryParse(subject, out _, out _) || (LineageGraph.TryParseDatasetVersion(subject, out var dataset, out _) && Ids.IsValid(dataset))))
        {
            return await s.Journal.RefuseAsync(s.Context, ProblemCode.LineageQueryInvalid, "give `subject`: an egress decision id, a model's `name@version`, or `dataset@version`", caller).ConfigureAwait(false);
        }

        var (graph, problem) = await GraphAsync(s, asOf, caller).ConfigureAwait(false);
        if (graph is null)
        {
            return problem!;
        }

        // Security: what a recipient may not see is "not found", as what does not exist, so nothing can be probed.
        return graph.Upstream(subject, Restriction(caller)) is { } tree
            ? TypedResults.Ok(tree)
            : Problem.Of(ProblemCode.NotFound, $"no egress, model or dataset version `{subject}` in the lineage the caller may see");
    }

    private static string? Restriction(Caller caller) => caller.IsOperator ? null : caller.Recipient!.Value.Value;

    // The graph now, or as of a signed checkpoint: an asOf that names no checkpoint the log signed (negative, between
    // two, or past the latest) is refused, so no answer claims a tree size nobody can verify.
    private static async Task<(LineageGraph? Graph, ProblemHttpResult? Problem)> GraphAsync(LineageServices s, long? asOf, Caller caller)
    {
        bool isSigned;
        try
        {
            isSigned = asOf is not { } size || (size >= 0 && await s.Log.IsCheckpointAsync(size, s.Context.RequestAborted).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store could not say whether the checkpoint exists: that is the log being unavailable, not a bad asOf.
            return (null, Unavailable());
        }

        if (!isSigned)
        {
            return (null, await s.Journal.RefuseAsync(s.Context, ProblemCode.LineageQueryInvalid, $"`asOf` {asOf} is not the tree size of a checkpoint this log signed: take one from `GET /v1/log/checkpoint`", caller).ConfigureAwait(false));
        }

        try
        {
            return (await s.Book.GraphAsync(asOf, s.Context.RequestAborted).ConfigureAwait(false), null);
        }
        catch (LineageUnavailableException)
        {
            return (null, Unavailable());
        }
    }

    private static ProblemHttpResult Unavailable() => Problem.Of(ProblemCode.LineageUnavailable, "the lineage cannot be read from the log now: retry");
}
