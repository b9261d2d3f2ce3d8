using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Log;

namespace Concordat.Lineage;

/// <summary>
/// Builds a <see cref="LineageGraph"/> from the log's entries, read once in index order (a workspace's log or an
/// exported one), and from verified model attestations.
/// </summary>
/// <remarks>
/// Reads the gateway's entries as docs/formats/gateway-entries.md defines them: <c>gateway.dataset-import/v1</c>,
/// <c>gateway.egress/v1</c>, <c>gateway.agreement/v1</c>, the <c>gateway.attestation/v1</c> entries of models, and of
/// <c>gateway.decision/v1</c> only the permitted reads of rows that name a dataset version (an egress's decision), so
/// memory follows the graph, not the log. Given stored bytes (<see cref="Add(long, ReadOnlyMemory{byte})"/>), it parses
/// only the entries it can read: the rest are looked at by their last bytes (their type) or their body's first members.
/// Callers MUST add entries in index order; <see cref="Build(long)"/> answers as
/// of a smaller tree size (<c>--as-of</c>, <c>asOf</c>) from the same entries.
/// </remarks>
public sealed class LineageGraphBuilder
{
    private readonly Dictionary<(string, int), LineageDatasetVersion> _versions = [];
    private readonly Dictionary<string, LineageEgress> _egress = new(StringComparer.Ordinal);

    // A decision can have several egress entries (each Delta Sharing file fetch is one): the latest stands for it now,
    // and the ones it replaced are kept so that an answer as of an earlier tree size still holds the egress.
    private readonly Dictionary<string, List<LineageEgress>> _replacedEgress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (LineageAgreement Agreement, long Index)> _agreements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Agreement, string? Digest, string Purpose)> _decisions = new(StringComparer.Ordinal);
    private readonly List<(LineageModel Model, string? Envelope)> _models = [];

    // The model attestations the log records: envelope digest → the model (`name@version`) and the entry's index.
    private readonly Dictionary<string, (string Model, long Index)> _loggedModels = new(StringComparer.Ordinal);
    private long _treeSize;

    /// <summary>Adds one log entry as the log stores it, parsing it in full only when it is of a kind the graph reads.</summary>
    /// <param name="index">Its index in the log.</param>
    /// <param name="stored">The entry's stored (canonical) bytes; the builder keeps nothing of them once it returns, so the caller may reuse the buffer.</param>
    /// <remarks>
    /// Gives the same graph as <see cref="Add(long, LogEntry)"/> for every entry that parses, and counts an entry that
    /// does not parse in the tree size, as the log does. Of a log that is mostly other entries (tokens, refused
    /// decisions), only the few the graph reads are parsed (docs/formats/lineage.md).
    /// </remarks>
    public void Add(long index, ReadOnlyMemory<byte> stored)
    {
        _treeSize = Math.Max(_treeSize, index + 1);

        // Invariant: the entry is not kept, so it may hold the caller's buffer instead of a copy.
        if (LineageEntryFilter.IsRead(stored.Span) && LogEntry.TryParse(stored, out var entry, out _))
        {
            Add(index, entry);
        }
    }

    /// <summary>Adds one log entry.</summary>
    /// <param name="index">Its index in the log.</param>
    /// <param name="entry">The entry.</param>
    public void Add(long index, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _treeSize = Math.Max(_treeSize, index + 1);
        var body = entry.Body;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (entry.Type)
        {
            case LineageEntryFilter.DatasetImport when JsonMembers.Text(body, "dataset") is { } dataset && Number(body, "version") is { } version:
                _versions[(dataset, version)] = new LineageDatasetVersion(dataset, version, JsonMembers.Text(body, "manifest") ?? string.Empty, Long(body, "rows"), entry.Time, index);
                break;
            case LineageEntryFilter.Decision when JsonMembers.Text(body, "effect") == "permit" && Number(body, "datasetVersion") is not null && JsonMembers.Text(body, "decisionId") is { } decisionId:
                _decisions[decisionId] = (JsonMembers.Text(body, "agreement"), JsonMembers.Text(body, "agreementDigest"), JsonMembers.Text(body, "purpose") ?? string.Empty);
                break;
            case LineageEntryFilter.Egress when JsonMembers.Text(body, "decisionId") is { } decisionId && JsonMembers.Text(body, "dataset") is { } dataset && Number(body, "datasetVersion") is { } version:
                // Invariant: a decision's entry is durable before its egress's, so it was read already. Only egress
                // decisions are kept (they name a dataset version), so this map grows with the egress, not the log.
                _decisions.TryGetValue(decisionId, out var decision);
                if (_egress.TryGetValue(decisionId, out var replaced))
                {
                    if (!_replacedEgress.TryGetValue(decisionId, out var earlier))
                    {
                        _replacedEgress[decisionId] = earlier = [];
                    }

                    earlier.Add(replaced);
                }

                _egress[decisionId] = new LineageEgress(
                    decisionId,
                    JsonMembers.Text(body, "tokenId") ?? string.Empty,
                    JsonMembers.Text(body, "recipient") ?? string.Empty,
                    dataset,
                    version,
                    decision.Agreement,
                    decision.Digest,
                    decision.Purpose,
                    Long(body, "rows"),
                    body.TryGetProperty("completed", out var completed) && completed.ValueKind == JsonValueKind.True,
                    entry.Time,
                    index);
                break;
            case LineageEntryFilter.Agreement when JsonMembers.Text(body, "digest") is { } digest && JsonMembers.Text(body, "agreement") is { } id && Number(body, "version") is { } agreementVersion:
                _agreements.TryAdd(digest, (new LineageAgreement(id, agreementVersion, digest), index));
                break;
            case LineageEntryFilter.Attestation when JsonMembers.Text(body, "kind") == "model" && JsonMembers.Text(body, "model") is { } model && JsonMembers.Text(body, "envelope") is { } envelope:
                _loggedModels.TryAdd(envelope, (model, index));
                break;
        }
    }

    /// <summary>Gets the models (<c>name@version</c>) whose attestations the entries added record, for a caller that holds their envelopes (the gateway) to add them.</summary>
    public IReadOnlyCollection<string> LoggedModels => [.. _loggedModels.Values.Select(m => m.Model).Distinct(StringComparer.Ordinal)];

    /// <summary>Adds a model registered offline (<c>model register</c>) from its verified statement.</summary>
    /// <param name="statement">A statement of predicate type <see cref="AttestationPredicateTypes.Model"/>, verified by the caller.</param>
    /// <returns><see langword="false"/> when the statement is not a model's.</returns>
    /// <remarks>A statement that names a <c>version</c> (registered at a gateway) never joins the graph this way: give its envelope's digest.</remarks>
    public bool AddModel(InTotoStatement statement) => AddModel(statement, envelope: null);

    /// <summary>Adds a registered model from its verified statement and the SHA-256 of its envelope.</summary>
    /// <param name="statement">A statement of predicate type <see cref="AttestationPredicateTypes.Model"/>, verified by the caller.</param>
    /// <param name="envelope">The SHA-256 of the envelope exactly as stored or served, or <see langword="null"/> when unknown.</param>
    /// <returns><see langword="false"/> when the statement is not a model's.</returns>
    /// <remarks>
    /// A model registered at a gateway (its statement names a <c>version</c>) is named <c>name@version</c> and is in a
    /// built graph only when a <c>gateway.attestation/v1</c> entry below the graph's tree size records that model with
    /// exactly this envelope digest. A model registered offline (no <c>version</c>) is in no log; it is named by its
    /// name and is in every graph.
    /// </remarks>
    public bool AddModel(InTotoStatement statement, Sha256Digest? envelope)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.PredicateType != AttestationPredicateTypes.Model || JsonMembers.Text(statement.Predicate["model"]) is not { } name)
        {
            return false;
        }

        var version = JsonMembers.Text(statement.Predicate["version"]);

        var inputs = new List<LineageInput>();
        foreach (var input in statement.Predicate["inputs"] as JsonArray ?? [])
        {
            var type = JsonMembers.Text(input?["predicateType"]);
            var subjects = (input?["subjects"] as JsonArray ?? []).Select(s => (Name: JsonMembers.Text(s?["name"]) ?? string.Empty, Sha256: JsonMembers.Text(s?["sha256"]) ?? string.Empty)).ToList();
            if (subjects.Count == 0)
            {
                continue;
            }

            inputs.Add(type switch
            {
                // Spec: docs/formats/attestations.md names an egress subject `egress/<decisionId>.<format>` and a version's first `<dataset>@<version>/manifest.json`.
                AttestationPredicateTypes.Egress => new LineageInput("egress", Path.GetFileNameWithoutExtension(subjects[0].Name)),
                AttestationPredicateTypes.DatasetVersion => new LineageInput("dataset-version", subjects[0].Name.Split('/')[0]),
                AttestationPredicateTypes.Model => new LineageInput("model", subjects[0].Sha256),
                _ => new LineageInput("unknown", subjects[0].Name),
            });
        }

        _models.Add((new LineageModel(
            version is null ? name : $"{name}@{version}",
            JsonMembers.Text(statement.Predicate["trainer"]) ?? string.Empty,
            JsonMembers.Text(statement.Predicate["purpose"]) ?? string.Empty,
            [.. statement.Subjects.Select(s => new LineageSubject(s.Name, s.Sha256?.ToString() ?? string.Empty))],
            inputs,
            Rfc3339.TryParseUtc(JsonMembers.Text(statement.Predicate["registeredAt"]), out var registeredAt, out _) ? registeredAt : DateTimeOffset.UnixEpoch)
        {
            Ip = JsonMembers.Text(statement.Predicate["ip"]?["category"]),
            Owners = JsonMembers.Text(statement.Predicate["ip"]?["externalOwner"]) is { } external ? [external]
                : [.. (statement.Predicate["ip"]?["owners"] as JsonArray ?? []).Select(JsonMembers.Text).OfType<string>()],
        },
            // Security: a gateway's model is trusted through its log entry, so "no digest" can never match one.
            version is null ? null : envelope?.ToString() ?? string.Empty));
        return true;
    }

    /// <summary>Builds the graph of what was added.</summary>
    /// <returns>The graph; the builder can go on.</returns>
    public LineageGraph Build() => Build(_treeSize);

    /// <summary>Builds the graph as of a tree size: from the entries below it only, and the models they record.</summary>
    /// <param name="treeSize">The tree size the answer is for, such as a signed checkpoint's.</param>
    /// <returns>The graph, whose <see cref="LineageGraph.TreeSize"/> is the smaller of <paramref name="treeSize"/> and the entries added; the builder can go on.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeSize"/> is negative.</exception>
    public LineageGraph Build(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var size = Math.Min(treeSize, _treeSize);
        return new(
            size,
            _versions.Where(v => v.Value.LogIndex < size).ToDictionary(),
            EgressAsOf(size),
            _agreements.Where(a => a.Value.Index < size).ToDictionary(a => a.Key, a => a.Value.Agreement, StringComparer.Ordinal),
            [.. _models.Where(m => m.Envelope is null || IsLogged(m.Model.Name, m.Envelope, size)).Select(m => m.Model)]);
    }

    // Each decision's latest egress entry below the tree size, so a decision whose later entries follow it still counts.
    private Dictionary<string, LineageEgress> EgressAsOf(long size)
    {
        var egress = new Dictionary<string, LineageEgress>(StringComparer.Ordinal);
        foreach (var (decisionId, latest) in _egress)
        {
            var entry = latest.LogIndex < size ? latest
                : _replacedEgress.TryGetValue(decisionId, out var earlier) ? earlier.LastOrDefault(e => e.LogIndex < size)
                : null;
            if (entry is not null)
            {
                egress[decisionId] = entry;
            }
        }

        return egress;
    }

    // Security: a gateway's model is in the graph only when the log, below the tree size, records exactly its envelope.
    private bool IsLogged(string model, string envelope, long treeSize) =>
        _loggedModels.TryGetValue(envelope, out var logged) && logged.Model == model && logged.Index < treeSize;

    // Versions were once written as strings of digits (docs/formats/gateway-entries.md: older entries); both are read.
    private static int? Number(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) ? number
        : null;

    private static long Long(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
