using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Decisions;
using Concordat.Gateway.Aggregates;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.DeltaSharing;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Retention;
using Concordat.Gateway.Security;
using Concordat.Privacy;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Erasure;

/// <summary>
/// Erases a data subject from a dataset (docs/design/erasure.md): finds the egress that carried it by replaying each
/// egress's row rules on the version it served, rewrites every stored version without the subject's rows under a new
/// manifest, drops every derived copy, and signs and logs the erasure record with a keyed commitment whose key is
/// destroyed.
/// </summary>
/// <remarks>
/// Invariant: one erasure at a time, so two erasures never swap the same version at once. The egress are found in
/// the <see cref="ErasureBook"/>, which reads the log once and then only what was appended since.
/// </remarks>
internal sealed class SubjectEraser(
    DatasetStore datasets,
    PolicyState policy,
    IRegistryStore store,
    ErasureBook book,
    GatewayWorkspace workspace,
    GatewayJournal journal,
    GatewayAttestor attestor,
    AttestationStore attestations,
    ErasureNotices notices,
    AggregateColumnsCache aggregateCopies,
    DeltaSharingFiles deltaSharingFiles,
    RetentionBook retention,
    ILogger<SubjectEraser> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Erases the subject named by <paramref name="subjects"/> from <paramref name="dataset"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="caller">The operator.</param>
    /// <param name="dataset">The dataset, a valid id.</param>
    /// <param name="subjects">The subject's identifiers, as stored.</param>
    /// <param name="ordered">The same identifiers in the order given, for the pseudonyms' order.</param>
    /// <returns>What was erased and whom it concerns, or the problem (nothing changed then).</returns>
    public async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> EraseAsync(HttpContext context, Caller caller, DatasetId dataset, IReadOnlySet<string> subjects, IReadOnlyList<string> ordered)
    {
        var versions = datasets.ListVersions(dataset).Select(v => datasets.GetVersion(dataset, v)).OfType<DatasetManifest>().ToList();
        var definition = policy.Agreements.SelectMany(a => a.Agreement.Datasets).FirstOrDefault(d => d.Id == dataset);
        if (definition is null && versions.Count == 0)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"no dataset `{dataset}`: no agreement in force declares it and no version is stored", caller).ConfigureAwait(false);
        }

        if (definition?.ResolvedEntityKey is not { } key)
        {
            return await journal.RefuseAsync(context, ProblemCode.NoSubjectField, $"dataset `{dataset}` has no entity key in an agreement in force: the rows of a subject cannot be found", caller).ConfigureAwait(false);
        }

        var cancellationToken = context.RequestAborted;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var holding = new List<DatasetManifest>();
            foreach (var manifest in versions)
            {
                if (await datasets.CountSubjectRowsAsync(manifest, key, subjects, cancellationToken).ConfigureAwait(false) > 0)
                {
                    holding.Add(manifest);
                }
            }

            if (holding.Count == 0)
            {
                return await journal.RefuseAsync(context, ProblemCode.SubjectNotFound, $"no stored version of `{dataset}` holds a row whose `{key}` is one of the identifiers given: nothing was changed", caller).ConfigureAwait(false);
            }

            // Invariant: the egress are found before the purge; afterwards the rows that would show them are gone.
            var egress = await FindEgressAsync(dataset, key, subjects, cancellationToken).ConfigureAwait(false);
            var recipients = egress.Select(e => e.Recipient).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(r => new RecipientPseudonyms(r, Pseudonyms(new PartyId(r), dataset, ordered)))
                .ToList();

            // From here on nothing is cancelled: a purge left half done would be worse than a slow answer.
            var erasedAt = journal.Now;
            var erased = new List<DatasetErasure>();
            foreach (var manifest in holding)
            {
                if (await datasets.EraseAsync(manifest, key, subjects, erasedAt, CancellationToken.None).ConfigureAwait(false) is { } erasure)
                {
                    erased.Add(erasure);
                }
            }

            // Security: every derived copy of this dataset may hold the subject's rows; they are built again from the
            // new versions on demand. Other datasets' copies cannot hold them and are kept.
            aggregateCopies.Clear(dataset);
            deltaSharingFiles.Cache.Clear(dataset);

            var commitment = SubjectCommitment.CreateAndShred(subjects);
            var commitmentHex = commitment[SubjectCommitment.Prefix.Length..];

            // Kept before the entries: a notice whose erasure never reached the log is listed by nothing.
            foreach (var recipient in recipients)
            {
                notices.Write(recipient.Recipient, commitmentHex, recipient.Pseudonyms);
            }

            var erasedVersions = erased.Select(e => new ErasedVersion(e.Current.Version.Number, e.Previous.ComputeDigest().ToString(), e.Current.ComputeDigest().ToString(), e.RowsRemoved)).ToList();
            var decisionIds = egress.Select(e => e.DecisionId).Distinct(StringComparer.Ordinal).ToList();
            var statement = Statement(dataset, erasedAt, erased, commitment, subjects.Count, decisionIds);
            var attested = await attestor.AttestErasureAsync(dataset.Value, statement, attestations.ErasurePath(dataset.Value, commitmentHex)).ConfigureAwait(false);
            var entry = new ErasureEntry(erasedAt, dataset.Value, erasedVersions, subjects.Count, commitment, decisionIds, attested.Envelope);
            var index = await journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);
            var rowsRemoved = erased.Sum(e => e.RowsRemoved);
            LogMessages.SubjectErased(logger, dataset.Value, erased.Count, rowsRemoved, decisionIds.Count);

            // The erasure is done and logged; when the deadlines cannot be read now, GET /v1/erasures reads them again.
            var deadlines = await ErasureFeed.ItemsAsync(retention, [.. decisionIds], journal.Now, CancellationToken.None).ConfigureAwait(false) ?? [];
            var affected = egress.Select(e => e with
            {
                DeleteBy = deadlines.TryGetValue(e.DecisionId, out var d) ? d.DeleteBy : null,
                AttestBy = deadlines.TryGetValue(e.DecisionId, out var a) ? a.AttestBy : null,
            }).ToList();
            return TypedResults.Ok(new ErasureResponse(dataset.Value, erasedAt, erasedVersions, rowsRemoved, commitment, affected, recipients, attested.Envelope, index));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private static InTotoStatement Statement(DatasetId dataset, DateTimeOffset erasedAt, IReadOnlyList<DatasetErasure> erased, string commitment, int subjects, IReadOnlyList<string> decisionIds)
    {
        var subjectsOfStatement = erased.SelectMany(e => new[]
        {
            AttestationSubject.FromSha256($"{dataset.Value}@{e.Current.Version.Number}/previous/manifest.json", e.Previous.ComputeDigest()),
            AttestationSubject.FromSha256($"{dataset.Value}@{e.Current.Version.Number}/manifest.json", e.Current.ComputeDigest()),
        }).ToArray();
        var predicate = new JsonObject
        {
            ["dataset"] = dataset.Value,
            ["erasedAt"] = Rfc3339.Format(erasedAt),
            ["subjects"] = subjects,
            ["subjectCommitment"] = commitment,
            ["versions"] = new JsonArray([.. erased.Select(e => (JsonNode)new JsonObject
            {
                ["version"] = e.Current.Version.Number,
                ["previousManifest"] = e.Previous.ComputeDigest().ToString(),
                ["manifest"] = e.Current.ComputeDigest().ToString(),
                ["rowsRemoved"] = e.RowsRemoved,
            })]),
            ["decisionIds"] = new JsonArray([.. decisionIds.Select(d => (JsonNode)d)]),
        };
        return new InTotoStatement(subjectsOfStatement, AttestationPredicateTypes.Erasure, predicate);
    }

    private IReadOnlyList<string> Pseudonyms(PartyId recipient, DatasetId dataset, IReadOnlyList<string> subjects)
    {
        // Invariant: the same derivation as egress (docs/formats/datasets.md#pseudonyms), so these are the values the recipient holds.
        using var key = PseudonymKey.Derive(workspace.PseudonymKey, recipient, dataset);
        using var pseudonymiser = new Pseudonymiser(key);
        return [.. subjects.Select(pseudonymiser.Pseudonymise)];
    }

    // The egress of the dataset whose row rules, replayed on the version they served, let a row of the subject leave.
    private async Task<List<AffectedEgress>> FindEgressAsync(DatasetId dataset, FieldName key, IReadOnlySet<string> subjects, CancellationToken cancellationToken)
    {
        // The book reads only the entries appended since the last use; the decisions are read again by index.
        var served = await book.ServedAsync(dataset.Value, cancellationToken).ConfigureAwait(false);
        var decisions = new Dictionary<string, (string? AgreementDigest, JsonElement? Record)>(StringComparer.Ordinal);
        foreach (var index in served.Select(s => s.DecisionIndex).OfType<long>().Distinct())
        {
            if (await book.ReadAsync(index, cancellationToken).ConfigureAwait(false) is { Type: "gateway.decision/v1" } entry && JsonMembers.Text(entry.Body, "decisionId") is { } decisionId)
            {
                decisions[decisionId] = (JsonMembers.Text(entry.Body, "agreementDigest"), entry.Body.TryGetProperty("record", out var record) ? record.Clone() : null);
            }
        }

        var agreements = await RetentionBook.ReadAgreementVersionsAsync(store, cancellationToken).ConfigureAwait(false);
        var replays = new Dictionary<string, bool>(StringComparer.Ordinal);
        var affected = new List<AffectedEgress>();
        foreach (var (decisionId, recipient, version) in served.Select(s => (s.DecisionId, s.Recipient, s.Version)).Distinct())
        {
            if (datasets.GetVersion(dataset, new DatasetVersion(version)) is not { } manifest)
            {
                continue;
            }

            var (agreement, record) = decisions.TryGetValue(decisionId, out var decision) ? Read(decision, agreements) : (null, null);
            if (agreement is null || record is null)
            {
                // Security: an egress whose rules cannot be replayed is listed: the recipient is told rather than missed.
                affected.Add(new AffectedEgress(decisionId, recipient, version, false, null, null));
                continue;
            }

            // Invariant: egress under the same agreement, recipient, purpose and obligations on one version replay alike.
            var replayKey = $"{decision.AgreementDigest}\n{recipient}\n{record.Request.Purpose}\n{version}\n{decision.Record!.Value.GetProperty("obligations").GetRawText()}";
            if (!replays.TryGetValue(replayKey, out var carried))
            {
                carried = await ReplayAsync(agreement, record, dataset, manifest, key, subjects, cancellationToken).ConfigureAwait(false);
                replays[replayKey] = carried;
            }

            if (carried)
            {
                affected.Add(new AffectedEgress(decisionId, recipient, version, true, null, null));
            }
        }

        return affected;
    }

    private async Task<bool> ReplayAsync(Agreement agreement, DecisionRecordV1 record, DatasetId dataset, DatasetManifest manifest, FieldName key, IReadOnlySet<string> subjects, CancellationToken cancellationToken)
    {
        if (!agreement.Datasets.Any(d => d.Id == dataset)
            || !EgressPlan.TryCompile(agreement, dataset, record.Request.Recipient, record.Request.Purpose, record.Obligations, workspace.PseudonymKey, out var plan, out _))
        {
            // Security: rules that cannot be compiled now may have been carried out then; listing the egress is the safe side.
            return true;
        }

        using (plan)
        {
            return await plan.CarriesAnyAsync(datasets, manifest, key, subjects, cancellationToken).ConfigureAwait(false);
        }
    }

    private static (Agreement? Agreement, DecisionRecordV1? Record) Read((string? AgreementDigest, JsonElement? Record) decision, Dictionary<string, Agreement> agreements)
    {
        var agreement = decision.AgreementDigest is { } digest && agreements.TryGetValue(digest, out var found) ? found : null;
        var record = decision.Record is { ValueKind: JsonValueKind.Object } json && DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(json.GetRawText()), out var parsed, out _) ? parsed : null;
        return (agreement, record);
    }
}
