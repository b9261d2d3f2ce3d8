using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Erasure;

/// <summary>
/// <c>POST /v1/datasets/{datasetId}/erasures</c> (operator): erase a data subject from every stored version of a
/// dataset and every derived copy, with a signed, logged erasure record (docs/design/erasure.md).
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
        return app;
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
