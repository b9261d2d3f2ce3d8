using System.Text;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Data.Datasets;
using Concordat.Decisions;
using Concordat.Gateway.Erasure;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Provenance;

/// <summary>
/// The attestations the gateway holds: <c>GET /v1/attestations</c> (the operator sees all, a recipient its own
/// egress, its own deletion attestations and the erasures that touched its egress), one dataset version's or model's
/// (operator), one egress's, deletion's or erasure's (operator or the recipient concerned), and the verifier key (anyone).
/// </summary>
internal static class AttestationsApi
{
    /// <summary>The media type of a DSSE envelope in its JSON form, as OCI registries and cosign label it.</summary>
    public const string EnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    public static IEndpointRouteBuilder MapAttestationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/v1/attestations", "Attestations").RequireRecipientRateLimit();
        group.MapGet("/", ListAsync).WithName("ListAttestations")
            .WithSummary("The attestations the caller may read: every one for the operator; for a recipient, its own egress and the erasures that touched them")
            .ProducesProblems(Status503ServiceUnavailable);
        group.MapGet("/key", ReadKey).WithName("ReadAttestationKey")
            .WithSummary("The verifier key of the gateway's attestations (the provider's key, or the log key when there is none)");
        group.MapGet("/dataset-versions/{datasetId}/{version}", ReadDatasetVersionAsync).RequireOperator().WithName("ReadDatasetVersionAttestation")
            .WithSummary("The DSSE envelope attesting one stored dataset version")
            .Produces<EnvelopeDocument>(Status200OK, EnvelopeMediaType).ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapGet("/egress/{decisionId}", ReadEgressAsync).WithName("ReadEgressAttestation")
            .WithSummary("The DSSE envelope attesting one egress: for the operator, or the recipient it went to")
            .Produces<EnvelopeDocument>(Status200OK, EnvelopeMediaType).ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapGet("/erasures/{datasetId}/{commitment}", ReadErasureAsync).WithName("ReadErasureAttestation")
            .WithSummary("The DSSE envelope of one signed erasure record (erasure/v1), named by its dataset and the hex of its subject commitment: for the operator, or a recipient whose egress it touched")
            .Produces<EnvelopeDocument>(Status200OK, EnvelopeMediaType).ProducesProblems(Status400BadRequest, Status404NotFound, Status503ServiceUnavailable);
        group.MapGet("/deletions/{recipientId}/{envelope}", ReadDeletionAsync).WithName("ReadDeletionAttestation")
            .WithSummary("The DSSE envelope of a recipient's accepted deletion attestation (deletion/v1), named by the recipient and the hex of the envelope's SHA-256: for the operator, or that recipient")
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

        // Security: a recipient lists its own egress only, and the erasures that touched them; dataset versions,
        // models and other recipients' egress are the operator's.
        var recipient = caller.IsOperator ? null : caller.Recipient!.Value.Value;
        var listings = services.Attestations.List(recipient).ToList();
        IReadOnlyList<(string Dataset, string CommitmentHex)> erasures;
        try
        {
            erasures = recipient is null ? services.Attestations.Erasures() : await ErasuresOfAsync(services, recipient, services.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Problem.Of(ProblemCode.ErasuresUnavailable, "the erasures cannot be read from the log now: retry");
        }

        listings.AddRange(services.Attestations.Deletions(recipient).Select(d => new AttestationListing("deletion", $"{d.Recipient}/{d.EnvelopeHex}", d.Recipient, $"/v1/attestations/deletions/{d.Recipient}/{d.EnvelopeHex}")));
        listings.AddRange(erasures.Select(e => new AttestationListing("erasure", $"{e.Dataset}/{e.CommitmentHex}", null, ErasureFeed.AttestationUrl(e.Dataset, e.CommitmentHex))));
        return TypedResults.Ok<IReadOnlyList<AttestationListing>>(listings);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadErasureAsync(string datasetId, string commitment, [AsParameters] AttestationServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!Ids.IsValid(datasetId) || commitment.Length != 64 || !commitment.All(char.IsAsciiHexDigitLower))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the dataset id or commitment is not valid (the commitment is the 64 lowercase hex digits after `hmac-sha256:`)", caller).ConfigureAwait(false);
        }

        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        // Security: a recipient reads only an erasure that touched its egress; any other is "not found", not "forbidden".
        var missing = $"no erasure record of dataset `{datasetId}` with commitment `{commitment}`";
        try
        {
            if (!caller.IsOperator && !(await ErasuresOfAsync(services, caller.Recipient!.Value.Value, context.RequestAborted).ConfigureAwait(false)).Contains((datasetId, commitment)))
            {
                return Problem.Of(ProblemCode.NotFound, missing);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Problem.Of(ProblemCode.ErasuresUnavailable, "the erasures cannot be read from the log now: retry");
        }

        return Envelope(AttestationStore.Read(services.Attestations.ErasurePath(datasetId, commitment)), missing);
    }

    // The erasure records that touched an egress of the recipient, from the log; those whose envelope is held.
    private static async Task<IReadOnlyList<(string Dataset, string CommitmentHex)>> ErasuresOfAsync(AttestationServices services, string recipient, CancellationToken cancellationToken) =>
        [.. (await services.Erasures.ErasuresAsync(-1, cancellationToken).ConfigureAwait(false))
            .Where(e => e.RecipientOf.Values.Contains(recipient, StringComparer.Ordinal))
            .Select(e => (e.Erasure.Dataset, ErasureFeed.HexOf(e.Erasure.SubjectCommitment)))
            .Where(e => File.Exists(services.Attestations.ErasurePath(e.Dataset, e.Item2)))
            .Distinct()
            .OrderBy(e => e.Dataset, StringComparer.Ordinal).ThenBy(e => e.Item2, StringComparer.Ordinal)];

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

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadDeletionAsync(string recipientId, string envelope, [AsParameters] AttestationServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!Ids.IsValid(recipientId) || envelope.Length != 64 || !envelope.All(char.IsAsciiHexDigitLower))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the recipient id or envelope digest is not valid (the digest is the 64 lowercase hex digits after `sha256:` of the envelope)", caller).ConfigureAwait(false);
        }

        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        // Security: a recipient reads only its own deletion attestations; another's is "not found", not "forbidden".
        var missing = $"no deletion attestation of recipient `{recipientId}` with envelope digest `{envelope}`";
        return !caller.IsOperator && caller.Recipient!.Value.Value != recipientId
            ? Problem.Of(ProblemCode.NotFound, missing)
            : Envelope(AttestationStore.Read(services.Attestations.DeletionPath(recipientId, envelope)), missing);
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
