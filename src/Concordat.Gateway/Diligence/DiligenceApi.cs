using System.Globalization;
using System.Text;
using System.Text.Json;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Diligence;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Diligence;

/// <summary>
/// Due diligence over HTTP (docs/design/due-diligence.md): <c>POST /v1/diligence</c>, where the operator uploads an
/// assessor's signed record, and <c>GET /v1/diligence</c>, the records held. An agreement version whose
/// <c>diligence</c> requirements they do not meet is not activated (<see cref="AgreementsApi"/>).
/// </summary>
internal static class DiligenceApi
{
    public static IEndpointRouteBuilder MapDiligenceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOperatorGroup("/v1/diligence", "Diligence");
        group.MapPost("/", UploadAsync).WithName("UploadDiligenceRecord")
            .WithSummary("Upload an assessor's signed due-diligence record (a DSSE envelope of a diligence/v1 statement); logged as gateway.diligence-recorded/v1")
            .ProducesProblems(Status400BadRequest, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity, Status503ServiceUnavailable);
        group.MapGet("/", List).WithName("ListDiligenceRecords").WithSummary("The due-diligence records held, by party");
        return app;
    }

    internal static async Task<Results<Created<DiligenceRecordSummary>, ProblemHttpResult>> UploadAsync(JsonElement envelope, HttpContext context, AgreementChecker checker, DiligenceBook book, DiligenceWatch watch, GatewayJournal journal)
    {
        var caller = context.Caller();
        var bytes = Encoding.UTF8.GetBytes(envelope.GetRawText());

        // Security: only keys the operator pinned count here; activation then asks for a key the agreement itself names.
        var keys = PinnedKeys(checker);
        var verified = Attestation.Verify(bytes, keys, AttestationPredicateTypes.Diligence);
        if (verified.Error is { } invalid)
        {
            return await Rejected(context, journal, caller, $"the envelope does not verify: {invalid.Message}; pin the assessor's key in the workspace's trusted keys", invalid).ConfigureAwait(false);
        }

        if (!DiligenceRecord.TryRead(verified.Statement!, out var record, out var malformed))
        {
            return await Rejected(context, journal, caller, malformed.Message, malformed).ConfigureAwait(false);
        }

        if (!Ids.IsValid(record.Score.Party))
        {
            return await Rejected(context, journal, caller, "the record's `party` is not a valid id", null).ConfigureAwait(false);
        }

        if (record.AssessedAt > journal.Now)
        {
            return await Rejected(context, journal, caller, $"`assessedAt` {Rfc3339.Format(record.AssessedAt)} is in the future", null).ConfigureAwait(false);
        }

        var digest = Sha256Digest.Compute(bytes);
        AttestationStore.Write(book.PathOf(record.Score.Party, digest), bytes);
        var summary = Summary(record, digest, verified.KeyId!);
        var entry = new DiligenceRecordedEntry(journal.Now, summary.Party, summary.Questionnaire, summary.Version, summary.Overall, summary.Passed, summary.Assessor, summary.AssessedAt, summary.Envelope, summary.KeyId);
        if (await journal.AppendAsync(context, entry).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        // A record uploaded is when an operator attends to due diligence: any lapse is raised now rather than within the hour.
        await watch.TryCheckAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created("/v1/diligence", summary);
    }

    internal static Ok<IReadOnlyList<DiligenceRecordSummary>> List(AgreementChecker checker, DiligenceBook book)
    {
        var keys = PinnedKeys(checker);
        var list = new List<DiligenceRecordSummary>();
        foreach (var (_, bytes) in book.Envelopes())
        {
            var verified = Attestation.Verify(bytes, keys, AttestationPredicateTypes.Diligence);
            if (verified.Error is null && DiligenceRecord.TryRead(verified.Statement!, out var record, out _))
            {
                list.Add(Summary(record, Sha256Digest.Compute(bytes), verified.KeyId!));
            }
        }

        return TypedResults.Ok<IReadOnlyList<DiligenceRecordSummary>>(list);
    }

    private static List<DsseVerifierKey> PinnedKeys(AgreementChecker checker)
    {
        var trusted = checker.TrustedKeys();
        return [.. trusted.Signers.SelectMany(trusted.KeysFor).Select(DsseVerifierKey.FromNoteKey)];
    }

    private static DiligenceRecordSummary Summary(DiligenceRecord record, Sha256Digest envelope, string keyId) =>
        new(record.Score.Party, record.Score.Questionnaire, record.Score.Version, record.Score.Overall.ToString("0.0", CultureInfo.InvariantCulture), record.Score.IsPassed, record.Assessor, record.AssessedAt, envelope.ToString(), keyId);

    private static Task<ProblemHttpResult> Rejected(HttpContext context, GatewayJournal journal, Caller caller, string detail, Diagnostic? diagnostic)
    {
        var extensions = diagnostic is null ? null : new Dictionary<string, object?> { ["diagnostics"] = new List<string> { diagnostic.ToString() } };
        return journal.RefuseAsync(context, ProblemCode.DiligenceRecordRejected, detail, caller, extensions: extensions);
    }
}
