using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// <c>POST /v1/decisions</c>: the operator asks the decision engine directly; the same answers as the library
/// and <c>concordat decide</c>. Every decision is logged.
/// </summary>
internal static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        app.MapOperatorGroup("/v1/decisions", "Decisions")
            .MapPost("/", DecideAsync).WithName("Decide").WithSummary("Decide a request against the agreements in force")
            .ProducesProblems(Status400BadRequest, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        return app;
    }

    internal static async Task<Results<Ok<DecideResponse>, ProblemHttpResult>> DecideAsync(DecideRequest request, HttpContext context, DecisionService decisions, GatewayJournal journal)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(request.Recipient) || !Ids.IsValid(request.Dataset) || !Ids.IsValid(request.Purpose) || !Ids.IsValid(request.Jurisdiction))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "`recipient`, `dataset`, `purpose` and `jurisdiction` are required ids", caller).ConfigureAwait(false);
        }

        var action = DataAction.ReadRows;
        if (request.Action is not null && !ApiNames.TryParseAction(request.Action, out action))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, ApiNames.InvalidAction, caller).ConfigureAwait(false);
        }

        if (!Ids.TryReadOptionalParty(request.Subprocessor, out var subprocessor))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, Ids.InvalidSubprocessor, caller).ConfigureAwait(false);
        }

        IdentityRole? role = null;
        if (request.Role is not null)
        {
            if (!ApiNames.TryParseRole(request.Role, out var named))
            {
                return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "role, when given, must be `ingestion`, `training`, `deployment` or `analysis`", caller).ConfigureAwait(false);
            }

            role = named;
        }

        var decisionRequest = new DecisionRequest(new PartyId(request.Recipient!), action, new DatasetId(request.Dataset!), new PurposeId(request.Purpose!), new Jurisdiction(request.Jurisdiction!), subprocessor, request.At ?? journal.Now, role);

        // Invariant: the same answer as the library and `concordat decide` (one corpus runs against all three).
        var decision = decisions.DecideByAgreements(decisionRequest);
        var entry = decision.ToEntry(null);
        if (await journal.AppendAsync(context, entry, decision.Id).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        return TypedResults.Ok(new DecideResponse(entry.DecisionId, entry.Effect, entry.Reasons, entry.Agreement, entry.AgreementDigest, decision.Clause?.Value, entry.Record));
    }
}
