using System.Text;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Data.Datasets;
using Concordat.Decisions;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Provenance;

/// <summary>
/// The attestations the gateway signed: <c>GET /v1/attestations</c> (the operator sees all, a recipient its own
/// egress), one dataset version's or model's (operator), one egress's (operator or its recipient), and the verifier key (anyone).
/// </summary>
internal static class AttestationsApi
{
    /// <summary>The media type of a DSSE envelope in its JSON form, as OCI registries and cosign label it.</summary>
    public const string EnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    public static IEndpointRouteBuilder MapAttestationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1/attestations", "Attestations").RequireRecipientRateLimit();
        group.MapGet("/", ListAsync).WithName("ListAttestations")
            .WithSummary("The attestations the caller may read: every one for the operator, its own egress for a recipient");
        group.MapGet("/key", ReadKey).WithName("ReadAttestationKey")
            .WithSummary("The verifier key of the gateway's attestations (the provider's key, or the log key when there is none)");
        group.MapGet("/dataset-versions/{datasetId}/{version}", ReadDatasetVersionAsync).RequireOperator().WithName("ReadDatasetVersionAttestation")
            .WithSummary("The DSSE envelope attesting one stored dataset version")
            .Produces<EnvelopeDocument>(Status200OK, EnvelopeMediaType).ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapGet("/egress/{decisionId}", ReadEgressAsync).WithName("ReadEgressAttestation")
            .WithSummary("The DSSE envelope attesting one egress: for the operator, or the recipient it went to")
            .Produces<EnvelopeDocument>(Status200OK, EnvelopeMediaType).ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapGet("/models/{modelId}", ReadModelAsync).RequireOperator().WithName("ReadModelAttestation")
            .WithSummary("The DSSE envelope attesting one registered model (`name@version`)")
            .Produces<EnvelopeDocument>(Status200OK, EnvelopeMediaType).ProducesProblems(Status400BadRequest, Status404NotFound);
        return app;
    }

    internal static async Task<Results<Ok<IReadOnlyList<AttestationListing>>, ProblemHttpResult>> ListAsync([AsParameters] AttestationServices services)
    {
        var caller = services.Context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await services.Journal.RefuseAsync(services.Context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        // Security: a recipient lists its own egress only; dataset versions and other recipients' egress are the operator's.
        return TypedResults.Ok(services.Attestations.List(caller.IsOperator ? null : caller.Recipient!.Value.Value));
    }

    internal static Ok<AttestationKeyResponse> ReadKey([AsParameters] AttestationServices services)
    {
        var key = services.Attestor.Key;
        return TypedResults.Ok(new AttestationKeyResponse(Attestation.KeyIdOf(key.VerifierKey), NoteKey.FormatVerifierKey(key.Name, key.PrivateKey.PublicKey), services.Attestor.KeySource));
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadDatasetVersionAsync(string datasetId, string version, [AsParameters] AttestationServices services)
    {
        if (!Ids.IsValid(datasetId) || !DatasetVersion.TryParse(version, out var number))
        {
            return await services.Journal.RefuseAsync(services.Context, ProblemCode.InvalidId, "the dataset id or version is not valid (a version is a number from 1)", services.Context.Caller()).ConfigureAwait(false);
        }

        return Envelope(AttestationStore.Read(services.Attestations.DatasetVersionPath(datasetId, number.Number)), $"no attestation of dataset `{datasetId}` version {number.Number}");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadEgressAsync(string decisionId, [AsParameters] AttestationServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!Ids.IsValid(decisionId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the decision id is not valid", caller).ConfigureAwait(false);
        }

        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        var receipt = await services.Store.FindReceiptAsync(new DecisionId(decisionId), context.RequestAborted).ConfigureAwait(false);

        // Security: a recipient sees its own egress only; someone else's is "not found", not "forbidden".
        var missing = $"no attestation of the egress under decision `{decisionId}`";
        if (receipt is null || (!caller.IsOperator && receipt.Recipient != caller.Recipient))
        {
            return Problem.Of(ProblemCode.NotFound, missing);
        }

        return Envelope(AttestationStore.Read(services.Attestations.EgressPath(receipt.Recipient.Value, decisionId)), missing);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadModelAsync(string modelId, [AsParameters] AttestationServices services)
    {
        if (!ModelIds.TryParse(modelId, out var name, out var version))
        {
            return await services.Journal.RefuseAsync(services.Context, ProblemCode.InvalidId, "the model id is not `name@version`, both ids", services.Context.Caller()).ConfigureAwait(false);
        }

        return Envelope(AttestationStore.Read(services.Attestations.ModelPath(name, version)), $"no attestation of model `{modelId}`");
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Envelope(byte[]? envelope, string missing) =>
        envelope is null ? Problem.Of(ProblemCode.NotFound, missing) : TypedResults.Text(Encoding.UTF8.GetString(envelope), EnvelopeMediaType);
}
