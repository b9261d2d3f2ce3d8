using Concordat.Agreements;
using Concordat.Core;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Transparency;
using Concordat.Incidents.Detection;
using Concordat.Retention;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Retention;

/// <summary>
/// The retention deadlines of this gateway's egress (<see cref="RetentionLedger"/>), read from its log: nothing at
/// start-up; the first use reads the log page by page, and every later use reads only the entries appended since.
/// </summary>
/// <remarks>
/// <para>Invariant: one gate orders the reading and every use, so a use sees every entry durable before it began.</para>
/// <para>It also remembers the egress a <c>deletion-attestation-overdue</c> alert was raised for (from the log's own
/// alert entries), so the periodic check raises one alert per egress, across restarts.</para>
/// </remarks>
internal sealed class RetentionBook(ILogReader log, IRegistryStore store) : IDisposable
{

    private static readonly string s_overdueAlert = AlertVocabulary.NameOf(AlertKind.DeletionAttestationOverdue);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RetentionLedger _ledger = new();
    private readonly HashSet<string> _alerted = new(StringComparer.Ordinal);
    private Dictionary<string, Agreement> _agreements = new(StringComparer.Ordinal);
    private readonly LogCursor _cursor = new(log);
    private int _versions = -1;

    /// <summary>Runs <paramref name="action"/> once the book has read every entry durable now.</summary>
    /// <exception cref="RetentionUnavailableException">The log or the stored agreements could not be read.</exception>
    public async Task<T> WithAsync<T>(Func<RetentionView, Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                await CatchUpAsync(cancellationToken).ConfigureAwait(false);
                await LoadAgreementsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new RetentionUnavailableException("the retention deadlines cannot be read from the log", ex);
            }

            return await action(new RetentionView(_ledger, _agreements, _alerted)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Reads the entries appended since the last use, by this replica or another on the same store.
    private Task<bool> CatchUpAsync(CancellationToken cancellationToken) =>
        _cursor.CatchUpAsync((_, entry) =>
        {
            if (entry is null)
            {
                return;
            }

            _ledger.Read(entry);
            if (entry.Type == "gateway.alert/v1" && JsonMembers.Text(entry.Body, "alert") == s_overdueAlert && JsonMembers.Text(entry.Body, "subject") is { } decisionId)
            {
                _alerted.Add(decisionId);
            }
        }, cancellationToken);

    // The versions named by egress decisions are any stored version, superseded ones included; they are read again
    // only when a version was added.
    private async Task LoadAgreementsAsync(CancellationToken cancellationToken)
    {
        var versions = await store.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false);
        if (versions.Count == _versions)
        {
            return;
        }

        (_agreements, _versions) = (ByDigest(versions), versions.Count);
    }

    /// <summary>Reads every stored agreement version, superseded ones included, by digest: the versions decisions name.</summary>
    public static async Task<Dictionary<string, Agreement>> ReadAgreementVersionsAsync(IRegistryStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return ByDigest(await store.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false));
    }

    private static Dictionary<string, Agreement> ByDigest(IReadOnlyList<AgreementVersionRecord> versions)
    {
        var agreements = new Dictionary<string, Agreement>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            if (AgreementAmendments.Read(version) is { } agreement)
            {
                agreements[version.Digest.ToString()] = agreement;
            }
        }

        return agreements;
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>The deadlines, while the book's gate is held.</summary>
    internal sealed class RetentionView(RetentionLedger ledger, IReadOnlyDictionary<string, Agreement> agreements, HashSet<string> alerted)
    {
        /// <summary>Where each egress stands at <paramref name="at"/>.</summary>
        public IReadOnlyList<RetentionItem> Status(DateTimeOffset at, out int unknown) => ledger.Status(agreements, at, out unknown);

        /// <summary>Records that an overdue alert was raised for the egress of <paramref name="decisionId"/>; <see langword="false"/> when one was already.</summary>
        public bool MarkAlerted(string decisionId) => alerted.Add(decisionId);

        /// <summary>Whether an overdue alert was raised for the egress of <paramref name="decisionId"/>.</summary>
        public bool IsAlerted(string decisionId) => alerted.Contains(decisionId);
    }
}

/// <summary>The retention deadlines could not be read; the next use tries again.</summary>
internal sealed class RetentionUnavailableException(string message, Exception inner) : Exception(message, inner);
