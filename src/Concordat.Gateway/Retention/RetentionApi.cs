using System.Text;
using System.Text.Json;
using Concordat.Agreements.Signatures;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Security;
using Concordat.Retention;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Retention;

/// <summary>
/// Retention over HTTP (docs/design/retention.md): <c>GET /v1/retention</c> (the operator sees every egress, a
/// recipient its own) and <c>POST /v1/retention/attestations</c>, where a recipient files its signed deletion
/// attestation.
/// </summary>
internal static class RetentionApi
{
    public static IEndpointRouteBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapRecipientGroup("/v1/retention", "Retention");
        group.MapGet("/", ListAsync).WithName("ListRetention")
            .WithSummary("Each egress's deletion and attestation deadlines and state (due, done, overdue): every one for the operator, its own for a recipient")
            .ProducesProblems(Status400BadRequest, Status503ServiceUnavailable);
        group.MapPost("/attestations", AttestAsync).WithName("AttestDeletion")
            .WithSummary("File a recipient's signed deletion attestation (a DSSE envelope of a deletion/v1 statement); logged as gateway.deletion-attested/v1")
            .ProducesProblems(Status400BadRequest, Status403Forbidden, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity, Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<RetentionReport>, ProblemHttpResult>> ListAsync(string? at, [AsParameters] RetentionServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (!caller.IsOperator && caller.Recipient is null)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient, or the operator key", caller).ConfigureAwait(false);
        }

        var instant = journal.Now;
        if (at is not null && !Rfc3339.TryParseUtc(at, out instant, out var error))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, $"`at`: {error}", caller).ConfigureAwait(false);
        }

        try
        {
            return TypedResults.Ok(await services.Book.WithAsync(view =>
            {
                var all = view.Status(instant, out var unknown);

                // Security: a recipient sees its own egress only; how many others there are is the operator's.
                var items = caller.IsOperator ? all : [.. all.Where(i => i.Recipient == caller.Recipient!.Value.Value)];
                return Task.FromResult(new RetentionReport(instant, items, Count(items, RetentionState.Due), Count(items, RetentionState.Done), Count(items, RetentionState.Overdue), caller.IsOperator ? unknown : null));
            }, context.RequestAborted).ConfigureAwait(false));
        }
        catch (RetentionUnavailableException)
        {
            return Problem.Of(ProblemCode.RetentionUnavailable, "the retention deadlines cannot be read now: retry");
        }
    }

    internal static async Task<Results<Created<DeletionAttestationAccepted>, ProblemHttpResult>> AttestAsync(JsonElement envelope, [AsParameters] RetentionServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (caller.IsOperator)
        {
            return await journal.RefuseAsync(context, ProblemCode.RecipientOnly, "the operator cannot attest a recipient's deletion: the recipient files its own attestation", caller).ConfigureAwait(false);
        }

        if (caller.Recipient is not { } recipient)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token or client credentials of the recipient", caller).ConfigureAwait(false);
        }

        // Security: only keys the operator pinned for this recipient count; a key inside an agreement vouches for nothing.
        var keys = services.Checker.TrustedKeys().KeysFor(new SignerId(recipient.Value)).Select(DsseVerifierKey.FromNoteKey).ToList();
        var bytes = Encoding.UTF8.GetBytes(envelope.GetRawText());
        var verified = Attestation.Verify(bytes, keys, AttestationPredicateTypes.Deletion);
        if (verified.Error is { } invalid)
        {
            var help = keys.Count == 0 ? $"no key is pinned for `{recipient}`" : $"keys pinned for `{recipient}`: {string.Join(", ", keys.Select(k => $"`{k.KeyId}`"))}";
            return await Rejected(services, caller, $"the envelope does not verify: {invalid.Message}; {help}", invalid).ConfigureAwait(false);
        }

        if (!DeletionAttestation.TryRead(verified.Statement!, out var claim, out var malformed))
        {
            return await Rejected(services, caller, malformed.Message, malformed).ConfigureAwait(false);
        }

        if (claim.Recipient != recipient)
        {
            return await Rejected(services, caller, $"the attestation is for recipient `{claim.Recipient}`, not `{recipient}`", null).ConfigureAwait(false);
        }

        if (claim.DeletedAt > journal.Now)
        {
            return await Rejected(services, caller, $"`deletedAt` {Rfc3339.Format(claim.DeletedAt)} is in the future", null).ConfigureAwait(false);
        }

        foreach (var egress in claim.Egress)
        {
            var receipt = Ids.IsValid(egress.DecisionId.Value) ? await services.Store.FindReceiptAsync(egress.DecisionId, context.RequestAborted).ConfigureAwait(false) : null;

            // Security: someone else's egress gets the answer an unknown one gets, so decision ids cannot be probed.
            if (receipt is null || receipt.Recipient != recipient)
            {
                return await journal.RefuseAsync(context, ProblemCode.EgressNotAttestable, $"no egress under decision `{egress.DecisionId}` went to `{recipient}` from this gateway: nothing was recorded", caller).ConfigureAwait(false);
            }

            if (receipt.Sha256 != egress.Sha256)
            {
                return await journal.RefuseAsync(context, ProblemCode.EgressNotAttestable, $"the egress under decision `{egress.DecisionId}` sent bytes of digest `{receipt.Sha256}`, the attestation names `{egress.Sha256}`: nothing was recorded", caller).ConfigureAwait(false);
            }
        }

        var digest = Sha256Digest.Compute(bytes);
        AttestationStore.Write(services.Attestations.DeletionPath(recipient.Value, digest.Hex), bytes);
        var decisionIds = claim.Egress.Select(e => e.DecisionId.Value).ToList();
        var entry = new DeletionAttestedEntry(journal.Now, recipient.Value, decisionIds, claim.DeletedAt, digest.ToString(), verified.KeyId!);
        if (await journal.AppendAsync(context, entry).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        await ForgetPseudonymsAsync(services, recipient.Value).ConfigureAwait(false);

        return TypedResults.Created("/v1/retention", new DeletionAttestationAccepted(recipient.Value, decisionIds, claim.DeletedAt, entry.Envelope, entry.KeyId, entry.At));
    }

    private static async Task<ProblemHttpResult> Rejected(RetentionServices services, Caller caller, string detail, Diagnostic? diagnostic)
    {
        var extensions = diagnostic is null ? null : new Dictionary<string, object?> { ["diagnostics"] = new List<string> { diagnostic.ToString() } };
        return await services.Journal.RefuseAsync(services.Context, ProblemCode.DeletionAttestationRejected, detail, caller, extensions: extensions).ConfigureAwait(false);
    }

    // Security: an erasure's pseudonyms are kept only until the recipient attested deletion of what it named; reading
    // the recipient's erasures forgets those now attested (ErasureFeed). The attestation is logged already, so a
    // failure here is left to the next read of GET /v1/erasures.
    private static async Task ForgetPseudonymsAsync(RetentionServices services, string recipient)
    {
        try
        {
            await services.Erasures.ListAsync(recipient, -1, services.Journal.Now, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessages.ErasureNoticesNotForgotten(services.Logger, ex, recipient);
        }
    }

    private static int Count(IReadOnlyList<RetentionItem> items, RetentionState state) => items.Count(i => i.State == state);
}
