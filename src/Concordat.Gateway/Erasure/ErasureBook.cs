using System.Text.Json;
using Concordat.Core;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Transparency;
using Concordat.Log;
using Concordat.Retention;

namespace Concordat.Gateway.Erasure;

/// <summary>
/// What erasures need from the log, read from where the last use stopped (the <see cref="LogCursor"/> the privacy
/// ledger and the retention book use): each dataset's egress with the index of the permit decision it ran under, and every
/// <c>gateway.erasure/v1</c> entry. Nothing is read at start-up; the first use reads the log once, every later use
/// only the entries appended since, by any replica.
/// </summary>
/// <remarks>
/// <para>Memory is one small record per egress and per permit decision naming a dataset (the decision's index, not
/// its record): the records are read again by index, only for the dataset erased.</para>
/// <para>Invariant: one gate orders the reading and every use, so a use sees every entry durable before it began.</para>
/// </remarks>
internal sealed class ErasureBook(ILogReader log) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _permits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ServedEgress>> _served = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _recipients = new(StringComparer.Ordinal);
    private readonly List<ErasureRecord> _erasures = [];
    private readonly LogCursor _cursor = new(log);

    /// <summary>The egress of <paramref name="dataset"/>, in log order, once the book has read every entry durable now.</summary>
    public Task<IReadOnlyList<ServedEgress>> ServedAsync(string dataset, CancellationToken cancellationToken) =>
        WithAsync<IReadOnlyList<ServedEgress>>(() => _served.TryGetValue(dataset, out var served) ? [.. served] : [], cancellationToken);

    /// <summary>
    /// The erasures logged after <paramref name="after"/>, in log order, each with the recipient of every egress it
    /// names, once the book has read every entry durable now.
    /// </summary>
    public Task<IReadOnlyList<(ErasureRecord Erasure, IReadOnlyDictionary<string, string?> RecipientOf)>> ErasuresAsync(long after, CancellationToken cancellationToken) =>
        WithAsync<IReadOnlyList<(ErasureRecord, IReadOnlyDictionary<string, string?>)>>(() => [.. _erasures.Where(e => e.LogIndex > after).Select(e =>
            (e, (IReadOnlyDictionary<string, string?>)e.DecisionIds.Distinct(StringComparer.Ordinal).ToDictionary(d => d, d => _recipients.GetValueOrDefault(d), StringComparer.Ordinal)))],
            cancellationToken);

    /// <summary>Reads the entry at <paramref name="index"/> again (a permit decision named by <see cref="ServedEgress.DecisionIndex"/>).</summary>
    public async Task<LogEntry?> ReadAsync(long index, CancellationToken cancellationToken)
    {
        var page = await log.ReadEntriesAsync(index, 1, cancellationToken).ConfigureAwait(false);
        return page.Count == 1 && page[0].Index == index && LogEntry.TryParse(page[0].Entry, out var entry, out _) ? entry : null;
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private async Task<T> WithAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _cursor.CatchUpAsync((index, entry) =>
            {
                if (entry is not null)
                {
                    Read(index, entry);
                }
            }, cancellationToken).ConfigureAwait(false);
            return read();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Read(long index, LogEntry entry)
    {
        var body = entry.Body;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (entry.Type)
        {
            case "gateway.decision/v1" when JsonMembers.Text(body, "effect") == "permit" && JsonMembers.Text(body, "dataset") is not null && JsonMembers.Text(body, "decisionId") is { } decisionId:
                _permits[decisionId] = index;
                break;
            case "gateway.egress/v1" when JsonMembers.Text(body, "dataset") is { } dataset && JsonMembers.Text(body, "decisionId") is { } egressDecision
                && JsonMembers.Text(body, "recipient") is { } recipient && body.TryGetProperty("datasetVersion", out var version) && version.TryGetInt32(out var number):
                if (!_served.TryGetValue(dataset, out var served))
                {
                    _served[dataset] = served = [];
                }

                served.Add(new ServedEgress(egressDecision, recipient, number, _permits.TryGetValue(egressDecision, out var decisionIndex) ? decisionIndex : null));
                _recipients.TryAdd(egressDecision, recipient);
                break;
            case RetentionLedger.ErasureType when JsonMembers.Text(body, "dataset") is { } erased && JsonMembers.Text(body, "envelope") is { } envelope
                && JsonMembers.Text(body, "subjectCommitment") is { } commitment:
                _erasures.Add(new ErasureRecord(index, entry.Time, erased, Versions(body), Strings(body, "decisionIds"), commitment, envelope));
                break;
        }
    }

    private static IReadOnlyList<ErasedVersion> Versions(JsonElement body) =>
        body.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array
            ? [.. versions.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("version", out var n) && n.TryGetInt32(out _)).Select(v => new ErasedVersion(
                v.GetProperty("version").GetInt32(),
                JsonMembers.Text(v, "previousManifest") ?? string.Empty,
                JsonMembers.Text(v, "manifest") ?? string.Empty,
                v.TryGetProperty("rowsRemoved", out var rows) && rows.TryGetInt64(out var removed) ? removed : 0))]
            : [];

    private static IReadOnlyList<string> Strings(JsonElement body, string member) =>
        body.TryGetProperty(member, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : null).OfType<string>()] : [];
}

/// <summary>One egress of a dataset, as the log records it.</summary>
/// <param name="DecisionId">The egress decision.</param>
/// <param name="Recipient">Who received it.</param>
/// <param name="Version">The dataset version served.</param>
/// <param name="DecisionIndex">The log index of the permit decision it ran under; null when the log holds none before it.</param>
internal sealed record ServedEgress(string DecisionId, string Recipient, int Version, long? DecisionIndex);

/// <summary>One <c>gateway.erasure/v1</c> entry, as read from the log.</summary>
/// <param name="LogIndex">The entry's index.</param>
/// <param name="ErasedAt">The entry's time.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Versions">The versions rewritten.</param>
/// <param name="DecisionIds">The egress found to have carried the subject.</param>
/// <param name="SubjectCommitment">The keyed commitment (<c>hmac-sha256:&lt;hex&gt;</c>).</param>
/// <param name="Envelope">The SHA-256 of the signed erasure record.</param>
internal sealed record ErasureRecord(long LogIndex, DateTimeOffset ErasedAt, string Dataset, IReadOnlyList<ErasedVersion> Versions, IReadOnlyList<string> DecisionIds, string SubjectCommitment, string Envelope);
