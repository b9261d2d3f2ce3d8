using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Data.Attestations;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Licences;
using Concordat.Store;

namespace Concordat.Gateway.Provenance;

/// <summary>
/// Signs the gateway's attestations — a dataset version at its import, an egress when its stream ends — with the
/// provider's key (the log key when the workspace holds none), logs an <see cref="AttestationEntry"/> for each and
/// keeps the envelope in the <see cref="AttestationStore"/>.
/// </summary>
internal sealed class GatewayAttestor(GatewayWorkspace workspace, AttestationStore store, GatewayJournal journal, DatasetStore datasets, IStoreEngine engine, ILogger<GatewayAttestor> logger) : IDisposable
{
    /// <summary>The importer a version attested after the fact is credited to (docs/formats/attestations.md).</summary>
    public const string UpgradeImporter = "upgrade";

    // Invariant: one dataset version is attested once, whether by its import or by the backfill at start-up.
    private readonly SemaphoreSlim _datasetLock = new(1, 1);

    // Invariant: one model version is registered once; a second registration of it is refused, not signed. This lock
    // orders the registrations of this process; the store lock of the model orders those of every replica.
    private readonly SemaphoreSlim _modelLock = new(1, 1);

    /// <summary>Gets the key attestations are signed with.</summary>
    public NoteSignerKey Key => workspace.AttestationKey;

    /// <summary>Gets whose key <see cref="Key"/> is: <c>provider</c> or <c>log</c>.</summary>
    public string KeySource => workspace.ProviderKey is null ? "log" : "provider";

    /// <summary>Attests a stored dataset version unless it already is; the log entry is durable when this returns.</summary>
    /// <param name="manifest">The version's manifest.</param>
    /// <param name="definition">The dataset as the agreement that declares it defines it: its tags and its owner.</param>
    /// <param name="inForce">The agreements in force; those that declare the dataset classify its IP.</param>
    /// <param name="importer">Who imported it, or <see cref="UpgradeImporter"/>.</param>
    /// <returns><see langword="true"/> when this call attested it; <see langword="false"/> when it already was.</returns>
    public async Task<bool> AttestDatasetVersionAsync(DatasetManifest manifest, DatasetDefinition definition, IEnumerable<Agreement> inForce, string importer)
    {
        // Invariant: a dataset is the background IP of the party that provides it (its `owner`), under every agreement
        // that declares it; the owner is a party of each, so the classification has no error to refuse.
        var declaring = inForce.Where(a => a.Datasets.Any(d => d.Id == manifest.DatasetId)).ToList();
        var ip = ArtifactIp.Classify(declaring, manifest.DatasetId.Value, ArtifactKind.Dataset, IpCategory.Background, definition.Owner.Value, null, definition.Tags.Licence);
        var path = store.DatasetVersionPath(manifest.DatasetId.Value, manifest.Version.Number);
        await _datasetLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (File.Exists(path))
            {
                return false;
            }

            var previous = manifest.Version.Number > 1 ? datasets.GetVersion(manifest.DatasetId, new DatasetVersion(manifest.Version.Number - 1)) : null;
            var statement = DatasetVersionStatement.Create(manifest, previous, definition.Tags, importer, ip);
            await SignLogAndKeepAsync(path, statement, "dataset-version", entry => entry with { Dataset = manifest.DatasetId.Value, Version = manifest.Version.Number }).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _datasetLock.Release();
        }
    }

    /// <summary>Attests an egress whose entry is durable; the attestation's entry is durable when this returns.</summary>
    /// <param name="facts">The decision, terms and time of the egress.</param>
    /// <param name="receipt">What was sent: rows, and the bytes and SHA-256 of exactly what was written.</param>
    public Task AttestEgressAsync(EgressFacts facts, EgressReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var statement = EgressStatement.Create(facts, receipt);
        return SignLogAndKeepAsync(store.EgressPath(facts.Recipient, facts.DecisionId), statement, "egress", entry => entry with { DecisionId = facts.DecisionId, Recipient = facts.Recipient });
    }

    /// <summary>Attests one fetch of a served file, whole or a range, whose egress entry is durable; keyed by its fetch id.</summary>
    /// <param name="facts">The decision the file URL carries, the terms and the time of the fetch.</param>
    /// <param name="receipt">What this fetch sent: the bytes and SHA-256 of exactly what was written.</param>
    /// <param name="range">The whole file and the range of it this fetch sent.</param>
    public Task AttestFetchAsync(EgressFacts facts, EgressReceipt receipt, EgressFileRange range)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(range);
        var statement = EgressStatement.CreateForFetch(facts, receipt, range);
        return SignLogAndKeepAsync(store.EgressPath(facts.Recipient, range.FetchId), statement, "egress", entry => entry with { DecisionId = facts.DecisionId, Recipient = facts.Recipient, FetchId = range.FetchId });
    }

    /// <summary>Attests a registered model unless its name and version already are; the entry is durable when this returns.</summary>
    /// <param name="name">The model's name (an id).</param>
    /// <param name="version">Its version (an id).</param>
    /// <param name="statement">The statement <see cref="ModelRegistrar.Evaluate"/> built.</param>
    /// <returns>The attestation's log entry; <see langword="null"/> when the model version was registered already.</returns>
    public async Task<AttestationEntry?> AttestModelAsync(string name, string version, InTotoStatement statement)
    {
        var path = store.ModelPath(name, version);
        var id = ModelIds.Format(name, version);
        await _modelLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Invariant: replicas share the workspace's attestations folder; under the model's store lock, the check
            // that it is not registered and the entry's append and the envelope's write are one step for all of them.
            var held = await engine.LockAsync(new StoreLockName($"model\n{id}"), CancellationToken.None).ConfigureAwait(false);
            await using (held.ConfigureAwait(false))
            {
                return File.Exists(path) ? null : await SignLogAndKeepAsync(path, statement, "model", entry => entry with { Model = id }).ConfigureAwait(false);
            }
        }
        finally
        {
            _modelLock.Release();
        }
    }

    /// <summary>Signs, logs and keeps the record of an erasure; the attestation's entry is durable when this returns.</summary>
    /// <param name="dataset">The dataset the subject was erased from.</param>
    /// <param name="statement">The erasure statement.</param>
    /// <param name="path">Where the envelope is kept.</param>
    /// <returns>The attestation's log entry, which names the envelope's SHA-256.</returns>
    public Task<AttestationEntry> AttestErasureAsync(string dataset, InTotoStatement statement, string path) =>
        SignLogAndKeepAsync(path, statement, "erasure", entry => entry with { Dataset = dataset });

    public void Dispose()
    {
        _datasetLock.Dispose();
        _modelLock.Dispose();
    }

    // Invariant: the entry is durable before the envelope is served, so every envelope served is one the log commits to.
    private async Task<AttestationEntry> SignLogAndKeepAsync(string path, InTotoStatement statement, string kind, Func<AttestationEntry, AttestationEntry> about)
    {
        var envelope = Attestation.Sign(statement, Key).ToJson();
        var entry = about(new AttestationEntry(
            journal.Now,
            kind,
            statement.PredicateType,
            [.. statement.Subjects.Select(s => new AttestedSubject(s.Name, s.Sha256?.ToString() ?? string.Empty))],
            Sha256Digest.Compute(envelope).ToString(),
            Attestation.KeyIdOf(Key.VerifierKey)));
        await journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);
        AttestationStore.Write(path, envelope);
        LogMessages.Attested(logger, kind, statement.Subjects[0].Name);
        return entry;
    }
}
