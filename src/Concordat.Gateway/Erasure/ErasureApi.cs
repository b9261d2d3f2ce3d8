using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Erasure;

/// <summary>
/// <c>POST /v1/datasets/{datasetId}/erasures</c> (operator): erase a data subject from every stored version of a
/// dataset and every derived copy, with a signed, logged erasure record (docs/design/erasure.md); and
/// <c>GET /v1/erasures</c>, where each recipient learns the erasures that touched data it received.
/// </summary>
internal static class ErasureApi
{
    /// <summary>The most identifiers one erasure takes.</summary>
    public const int MaxSubjects = 1000;

    /// <summary>The longest identifier, in characters.</summary>
    public const int MaxSubjectLength = 1024;

    public static IEndpointRouteBuilder MapErasureApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1", "Datasets");
        group.MapPost("/datasets/{datasetId}/erasures", EraseAsync).RequireOperator()
            .WithName("EraseSubject").WithSummary("Erase a data subject from every stored version and derived copy of a dataset; lists the egress that carried it and each recipient's own pseudonyms")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status422UnprocessableEntity, Status503ServiceUnavailable);
        app.MapRecipientGroup("/v1/erasures", "Datasets").MapGet("/", ListAsync).WithName("ListErasures")
            .WithSummary("The erasures logged (after the log index `after`): every one for the operator; for a recipient, those that touched data it received, with its egress, deadlines and own pseudonyms of the subject")
            .ProducesProblems(Status400BadRequest, Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<IReadOnlyList<ErasureNotice>>, ProblemHttpResult>> ListAsync(long? after, [AsParameters] ErasureListServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        if (after < -1)
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "`after` must be a log index (-1 or more)", caller).ConfigureAwait(false);
        }

        try
        {
            return TypedResults.Ok(await services.Feed.ListAsync(caller.IsOperator ? null : caller.Recipient!.Value.Value, after ?? -1, journal.Now, context.RequestAborted).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Problem.Of(ProblemCode.ErasuresUnavailable, "the erasures cannot be read from the log now: retry");
        }
    }

    internal static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> EraseAsync(string datasetId, ErasureRequest request, [AsParameters] ErasureServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!Ids.IsValid(datasetId) || !DatasetStore.IsValidId(new DatasetId(datasetId)))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the dataset id is not valid", caller).ConfigureAwait(false);
        }

        // Security: the detail never repeats an identifier: it is personal data, and refusals are logged.
        if (request.Subjects is not { Count: > 0 and <= MaxSubjects } subjects
            || subjects.Any(s => s is not { Length: > 0 and <= MaxSubjectLength } || s.Any(char.IsControl)))
        {
            return await journal.RefuseAsync(context, ProblemCode.ErasureMalformed, $"`subjects` must hold 1 to {MaxSubjects} identifiers of 1 to {MaxSubjectLength} characters, with no control character", caller).ConfigureAwait(false);
        }

        // Invariant: a repeated identifier counts once, in the commitment and in the pseudonyms alike.
        IReadOnlyList<string> distinct = [.. subjects.Distinct(StringComparer.Ordinal)];
        return await services.Eraser.EraseAsync(context, caller, new DatasetId(datasetId), distinct.ToHashSet(StringComparer.Ordinal), distinct).ConfigureAwait(false);
    }
}
